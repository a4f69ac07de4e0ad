package org.credo.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.credo.app.Refusal;
import org.credo.app.disputes.DisputeDesk;
import org.credo.app.disputes.DisputeOutcome;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeState;
import org.credo.disputes.Disputes;
import org.credo.records.SourceId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code credo dispute open|list|show|resolve|recertify|expire|marks}: the dispute workflow from
 * the command line, acting as the operator ({@code cli}).
 */
@Command(
    name = "dispute",
    description = "Open, answer and follow disputes of records.",
    subcommands = {
      DisputeCommand.Open.class,
      DisputeCommand.ListDisputes.class,
      DisputeCommand.Show.class,
      DisputeCommand.Resolve.class,
      DisputeCommand.Recertify.class,
      DisputeCommand.Expire.class,
      DisputeCommand.Marks.class
    })
final class DisputeCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The dispute a step gave; a refusal is exit 2 with its reason, as any bad input. */
  static Dispute done(DisputeOutcome outcome) {
    if (outcome instanceof DisputeOutcome.Done d) {
      return d.dispute();
    }
    Refusal r = (Refusal) outcome;
    throw new BadInput(r.message() + " (" + r.code() + ")");
  }

  static void print(PrintWriter out, Dispute d, Instant now) {
    out.printf(
        "%s  %-9s %s  deadline %s%s%n",
        d.id(), d.state().word(), d.record(), d.deadline(), d.overdue(now) ? "  OVERDUE" : "");
    out.printf("    statement: %s%n", d.statement());
    d.reason().ifPresent(r -> out.printf("    answer: %s%n", r));
    d.result().ifPresent(r -> out.printf("    outcome record: %s%n", r));
    for (Dispute.Event e : d.history()) {
      out.printf(
          "    %s  %-11s by %s%s%n",
          e.at(), e.state().word(), e.actor(), e.note().map(n -> "  " + n).orElse(""));
    }
  }

  @Command(name = "open", description = "Open a dispute on one of a subject's records.")
  static final class Open implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "SUBJECT")
    String subject;

    @Parameters(index = "1", paramLabel = "RECORD", description = "source/id, as the report shows")
    String record;

    @Option(
        names = "--statement",
        required = true,
        description = "what is wrong, up to 100 words; kept with the record")
    String statement;

    @Override
    public Integer call() {
      Instant now = Credo.clock.instant();
      try (CliApplication cli = CliApplication.open(data)) {
        Dispute d =
            done(
                cli.app()
                    .disputeDesk()
                    .open(CliAudit.CALLER, ScoreCommand.subject(subject), record, statement, now));
        print(spec.commandLine().getOut(), d, now);
      }
      return Credo.OK;
    }
  }

  @Command(name = "list", description = "The dispute queue, earliest deadline first.")
  static final class ListDisputes implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--state", description = "open, upheld, rejected, expired or recertified")
    String state;

    @Option(names = "--source", description = "only disputes of this source's records")
    String source;

    @Option(names = "--subject", description = "only this subject's disputes")
    String subject;

    @Override
    public Integer call() {
      Instant now = Credo.clock.instant();
      Optional<DisputeState> s;
      Optional<SourceId> src;
      try {
        s = Optional.ofNullable(state).map(DisputeState::parse);
        src = Optional.ofNullable(source).map(SourceId::of);
      } catch (IllegalArgumentException e) {
        throw new BadInput(e.getMessage());
      }
      try (CliApplication cli = CliApplication.open(data)) {
        DisputeDesk desk = cli.app().disputeDesk();
        List<Dispute> found =
            subject != null
                ? desk.ofSubject(ScoreCommand.subject(subject)).stream()
                    .filter(d -> s.isEmpty() || d.state() == s.get())
                    .toList()
                : ((DisputeDesk.QueueOutcome.Queue) desk.queue(CliAudit.CALLER, s, src, 10_000))
                    .disputes();
        PrintWriter out = spec.commandLine().getOut();
        found.forEach(d -> print(out, d, now));
        out.printf("%d disputes%n", found.size());
      }
      return Credo.OK;
    }
  }

  @Command(name = "show", description = "One dispute with its history.")
  static final class Show implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        if (!(cli.app().disputeDesk().one(CliAudit.CALLER, id)
            instanceof DisputeOutcome.Done done)) {
          throw new BadInput("there is no dispute " + id);
        }
        Dispute d = done.dispute();
        print(spec.commandLine().getOut(), d, Credo.clock.instant());
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "resolve",
      description =
          "Answer an open dispute as the operator: --upheld (withdraw, or --correct attributes)"
              + " or --rejected --reason.")
  static final class Resolve implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    static final class Outcome {
      @Option(names = "--upheld", required = true, description = "the record is wrong")
      boolean upheld;

      @Option(names = "--rejected", required = true, description = "the record stands")
      boolean rejected;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Outcome outcome;

    @Option(
        names = "--correct",
        split = ",",
        paramLabel = "NAME=VALUE",
        description = "with --upheld: the corrected attributes (else the record is withdrawn)")
    Map<String, String> correct;

    @Option(names = "--evidence", description = "with --correct: the correction's evidence")
    String evidence;

    @Option(names = "--reason", description = "why: required with --rejected")
    String reason;

    @Override
    public Integer call() {
      Disputes.Answer answer;
      if (outcome.rejected) {
        answer = new Disputes.Answer.Reject(reason);
      } else if (correct != null && !correct.isEmpty()) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        correct.forEach((k, v) -> attributes.put(k, value(v)));
        answer = new Disputes.Answer.Correct(attributes, Optional.ofNullable(evidence));
      } else {
        answer = new Disputes.Answer.Withdraw(Optional.ofNullable(reason));
      }
      Instant now = Credo.clock.instant();
      try (CliApplication cli = CliApplication.open(data)) {
        Dispute d = done(cli.app().disputeDesk().answer(CliAudit.CALLER, id, answer, now));
        print(spec.commandLine().getOut(), d, now);
      }
      return Credo.OK;
    }

    private static Object value(String v) {
      if (v.equals("true") || v.equals("false")) {
        return Boolean.parseBoolean(v);
      }
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
  }

  @Command(
      name = "recertify",
      description = "Bring back a record an expired dispute suppressed (its source's evidence).")
  static final class Recertify implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--evidence", required = true, description = "why the record is right")
    String evidence;

    @Override
    public Integer call() {
      Instant now = Credo.clock.instant();
      try (CliApplication cli = CliApplication.open(data)) {
        Dispute d = done(cli.app().disputeDesk().recertify(CliAudit.CALLER, id, evidence, now));
        print(spec.commandLine().getOut(), d, now);
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "expire",
      description =
          "Suppress the records of disputes past their deadline (the server does this on its own;"
              + " run it from cron when no server runs).")
  static final class Expire implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        int n = cli.app().disputeDesk().expireDue(CliAudit.CALLER, Credo.clock.instant());
        spec.commandLine()
            .getOut()
            .printf("%d disputes expired; their records are suppressed%n", n);
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "marks",
      description =
          "Print, as NDJSON for credo.records, what the dispute desk owes a streaming deployment:"
              + " disputes opened and answered, suppressions and re-certifications, repairs"
              + " granted (docs/scale.md, Disputes).")
  static final class Marks implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Option(
        names = "--since",
        description = "Only steps taken at or after this instant (default: all).",
        paramLabel = "INSTANT")
    String since;

    @Option(
        names = "--keyed",
        description =
            "Prefix each line with the subject's pseudonym (hex) and a tab: the Kafka key the"
                + " job keys its state by (kafka-console-producer.sh --property parse.key=true"
                + " --property key.separator=<TAB>).")
    boolean keyed;

    @Override
    public Integer call() {
      Instant from = since == null ? Instant.EPOCH : Inputs.time("--since", since);
      try (CliApplication cli = CliApplication.open(data)) {
        PrintWriter out = spec.commandLine().getOut();
        for (var r : cli.app().disputeDesk().marks(CliAudit.CALLER, from, Credo.clock.instant())) {
          if (keyed) {
            out.print(
                java.util.HexFormat.of().formatHex(cli.app().store().keys().pseudonym(r.subject()))
                    + "\t");
          }
          out.println(org.credo.records.RecordJson.toNode(r));
        }
        out.flush();
      }
      return Credo.OK;
    }
  }
}
