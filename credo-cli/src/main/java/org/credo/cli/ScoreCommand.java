package org.credo.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
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

  @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy YAML")
  Path policyFile;

  @Option(
      names = "--records",
      required = true,
      paramLabel = "FILE",
      description = "records as NDJSON, one JSON object a line")
  Path recordsFile;

  @Option(names = "--as-of", paramLabel = "T", description = "count records that occurred by T")
  String asOf;

  @Option(names = "--known-at", paramLabel = "K", description = "count records learned by K")
  String knownAt;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Override
  public Integer call() {
    Score score = score(subject, policyFile, recordsFile, asOf, knownAt);
    if (json) {
      spec.commandLine().getOut().println(Wire.pretty(Wire.score(score)));
    } else {
      spec.commandLine().getOut().print(ScoreText.render(score));
    }
    return Credo.OK;
  }

  static Score score(
      String subjectText, Path policyFile, Path recordsFile, String asOfText, String knownAtText) {
    SubjectId id;
    try {
      id = SubjectId.parse(subjectText);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
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
