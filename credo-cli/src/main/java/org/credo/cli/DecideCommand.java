package org.credo.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.credo.decisions.Decider;
import org.credo.decisions.Decision;
import org.credo.decisions.Purpose;
import org.credo.policy.Policy;
import org.credo.scoring.Score;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo decide SUBJECT --purpose P --policy FILE --records FILE}. */
@Command(
    name = "decide",
    description =
        "Decide one purpose for one subject: allow, deny or refer, with reason codes and only"
            + " what the purpose discloses.")
final class DecideCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Option(names = "--purpose", required = true, paramLabel = "P")
  String purpose;

  @Option(names = "--policy", required = true, paramLabel = "FILE")
  Path policyFile;

  @Option(names = "--records", required = true, paramLabel = "FILE")
  Path recordsFile;

  @Option(names = "--as-of", paramLabel = "T")
  String asOf;

  @Option(names = "--consent", description = "the subject has granted consent for this purpose")
  boolean consent;

  @Option(names = "--json")
  boolean json;

  @Override
  public Integer call() {
    Score score = ScoreCommand.score(subject, policyFile, recordsFile, asOf, null);
    Policy policy = Inputs.policy(policyFile);
    Purpose p;
    try {
      p = Purpose.of(purpose);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    if (policy.purpose(p).isEmpty()) {
      throw new BadInput(
          "policy "
              + policy.ref()
              + " has no purpose '"
              + purpose
              + "': it has "
              + policy.purposes().keySet());
    }
    Decision decision = Decider.decide(policy, score, p, consent);
    if (json) {
      spec.commandLine().getOut().println(Wire.pretty(Wire.decision(decision)));
    } else {
      spec.commandLine().getOut().print(ScoreText.render(decision));
    }
    return Credo.OK;
  }
}
