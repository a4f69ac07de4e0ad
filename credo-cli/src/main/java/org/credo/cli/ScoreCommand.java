package org.credo.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.credo.app.Refusal;
import org.credo.app.scores.ScoresOutcome;
import org.credo.app.wire.ScoresWire;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo score SUBJECT --policy FILE --records FILE}. */
@Command(
    name = "score",
    description =
        "Score one subject: score, grade, lists, each record's contribution and the reason codes.")
final class ScoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SUBJECT", description = "person:<id> or org:<code>")
  String subject;

  @Option(
      names = "--policy",
      paramLabel = "FILE|ID",
      description =
          "with --records: the policy YAML file; without: the id of an active policy in the store"
              + " (default: every active policy)")
  String policyOption;

  @Option(
      names = "--records",
      paramLabel = "FILE",
      description = "score from this NDJSON file instead of the store")
  Path recordsFile;

  @picocli.CommandLine.Mixin DataOption data;

  @Option(names = "--as-of", paramLabel = "T", description = "count records that occurred by T")
  String asOf;

  @Option(names = "--known-at", paramLabel = "K", description = "count records learned by K")
  String knownAt;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Override
  public Integer call() {
    if (recordsFile != null) {
      if (policyOption == null) {
        throw new BadInput("--records needs --policy FILE");
      }
      Score s = score(subject, Path.of(policyOption), recordsFile, asOf, knownAt);
      if (json) {
        spec.commandLine().getOut().println(Wire.pretty(ScoresWire.of(s)));
      } else {
        spec.commandLine().getOut().print(ScoreText.render(s, java.util.Set.of()));
      }
      return Credo.OK;
    }
    ScoresOutcome.Scored scored = fromStore();
    if (json) {
      spec.commandLine().getOut().println(Wire.pretty(ScoresWire.of(scored)));
    } else {
      List<Score> scores = scored.scores();
      for (int i = 0; i < scores.size(); i++) {
        if (i > 0) {
          spec.commandLine().getOut().println();
        }
        spec.commandLine().getOut().print(ScoreText.render(scores.get(i), scored.disputed()));
      }
    }
    return Credo.OK;
  }

  private ScoresOutcome.Scored fromStore() {
    SubjectId id = subject(subject);
    Instant now = Credo.clock.instant();
    Instant at = asOf == null ? now : Inputs.time("--as-of", asOf);
    Instant known = knownAt == null ? now : Inputs.time("--known-at", knownAt);
    try (CliApplication cli = CliApplication.open(data)) {
      ScoresOutcome outcome =
          cli.app().scores().score(id, at, known, Optional.ofNullable(policyOption), now);
      if (!(outcome instanceof ScoresOutcome.Scored scored)) {
        throw BadInput.refused((Refusal) outcome);
      }
      // An operator's read is an inquiry the subject sees, as at the console.
      cli.app()
          .subjectReads()
          .read(CliAudit.CALLER, id, "operator_score_read", "subject.score", now);
      return scored;
    }
  }

  static SubjectId subject(String text) {
    try {
      return SubjectId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
  }

  static Score score(
      String subjectText, Path policyFile, Path recordsFile, String asOfText, String knownAtText) {
    SubjectId id = subject(subjectText);
    Instant now = Credo.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant asOf = asOfText == null ? now : Inputs.time("--as-of", asOfText);
    Instant knownAt = knownAtText == null ? now : Inputs.time("--known-at", knownAtText);
    Policy policy = Inputs.policy(policyFile);
    if (!policy.subjects().contains(id.kind())) {
      throw new BadInput(
          "policy " + policy.ref() + " does not score " + id.kind().prefix() + " subjects");
    }
    List<Record> records =
        Inputs.records(recordsFile, now).stream().filter(r -> r.subject().equals(id)).toList();
    return Scorer.score(policy, id, records, asOf, knownAt);
  }
}
