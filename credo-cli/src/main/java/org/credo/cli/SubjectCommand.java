package org.credo.cli;

import java.util.concurrent.Callable;
import org.credo.app.Refusal;
import org.credo.app.subjects.ScoringModeOutcome;
import org.credo.subject.SubjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code credo subject scoring|erase}: what a subject decides about itself, carried out by the
 * operator on its written request.
 */
@Command(
    name = "subject",
    description = "A subject's own choices: score-free mode, and erasure where lawful.",
    subcommands = {SubjectCommand.Scoring.class, SubjectCommand.Erase.class})
final class SubjectCommand {
  private SubjectCommand() {}

  @Command(
      name = "erase",
      description =
          "Erase a subject where lawful (GDPR Art. 17): every record whose catalogue entry carries"
              + " no legal duty to keep it, the subject's consents, scoring-mode changes, name,"
              + " inquiries and notices; audit entries lose their content and keep their hash."
              + " Prints what was erased and what had to be kept, with its legal basis. Audited.")
  static final class Erase implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "SUBJECT", description = "person:<id> or org:<code>")
    String subject;

    @Option(names = "--json", description = "print the answer as the API gives it")
    boolean json;

    @Override
    public Integer call() {
      SubjectId id = ScoreCommand.subject(subject);
      try (CliApplication cli = CliApplication.open(data)) {
        var r = cli.app().subjectErasure().erase(CliAudit.CALLER, id, Credo.clock.instant());
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(Wire.pretty(org.credo.app.wire.ErasureWire.of(id.toString(), r)));
          return Credo.OK;
        }
        out.printf(
            "%s: erased %,d records%s, %d consents, %d scoring-mode changes, %d inquiries, %d"
                + " notices, %d disputes%s; %,d audit entries lost their content (hashes kept)%n",
            id,
            r.recordsErased(),
            r.erasedByType().isEmpty() ? "" : " " + r.erasedByType(),
            r.consents(),
            r.scoringModes(),
            r.inquiries(),
            r.notices(),
            r.disputes(),
            r.name() ? ", the name" : "",
            r.auditEntries());
        if (r.kept().isEmpty()) {
          out.println("kept: nothing (no record is kept by law)");
        } else {
          out.println("kept, because a law obliges keeping them for their retention:");
          r.kept().forEach(k -> out.printf("  %-28s %,6d  %s%n", k.type(), k.records(), k.basis()));
        }
      }
      return Credo.OK;
    }
  }

  @Command(
      name = "scoring",
      description =
          "Show a subject's scoring mode, or set it with --mode: score_free (no score or grade is"
              + " computed or disclosed under any policy; records, lists a law requires and"
              + " disputes go on) or scored. Audited.")
  static final class Scoring implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "SUBJECT", description = "person:<id> or org:<code>")
    String subject;

    @Option(names = "--mode", paramLabel = "MODE", description = "score_free or scored")
    String mode;

    @Override
    public Integer call() {
      SubjectId id = ScoreCommand.subject(subject);
      try (CliApplication cli = CliApplication.open(data)) {
        var scoring = cli.app().subjectScoring();
        var now = Credo.clock.instant();
        ScoringModeOutcome outcome =
            mode == null ? scoring.current(id, now) : scoring.set(CliAudit.CALLER, id, mode, now);
        if (outcome instanceof Refusal r) {
          throw new BadInput(r.message());
        }
        var current = (ScoringModeOutcome.Current) outcome;
        spec.commandLine()
            .getOut()
            .printf(
                "%s: %s%s%s%n",
                id,
                current.mode().word(),
                current.since().equals(java.time.Instant.EPOCH) ? "" : " since " + current.since(),
                mode == null ? "" : current.changed() ? " (changed, audited)" : " (unchanged)");
      }
      return Credo.OK;
    }
  }
}
