package org.credo.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.credo.app.Refusal;
import org.credo.app.decisions.DecisionAnswer;
import org.credo.app.decisions.DecisionOutcome;
import org.credo.app.decisions.Decisions;
import org.credo.app.wire.DecisionWire;
import org.credo.decisions.Decider;
import org.credo.decisions.Decision;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.policy.PurposeDefinition;
import org.credo.scoring.Score;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code credo decide SUBJECT --purpose P [--party ID]}: a decision from the store, as {@code POST
 * /v1/decisions} gives it (the same use case, the same refusals, the inquiry logged); or, with
 * {@code --policy FILE --records FILE}, from files without a store.
 */
@Command(
    name = "decide",
    description =
        "Decide one purpose for one subject: allow, deny or refer, with reason codes and only"
            + " what the purpose discloses. From the store (as the API would), or from files with"
            + " --policy FILE --records FILE.")
final class DecideCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataOption data;

  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Option(names = "--purpose", required = true, paramLabel = "P")
  String purpose;

  @Option(
      names = "--party",
      paramLabel = "ID",
      description =
          "the relying party asking (registered with credo party add); its consent is checked and"
              + " the inquiry is logged under its name")
  String party;

  @Option(
      names = "--policy",
      paramLabel = "FILE|ID",
      description =
          "with --records: the policy YAML file; without: the id of the active policy to ask")
  String policyOption;

  @Option(
      names = "--records",
      paramLabel = "FILE",
      description = "decide from this NDJSON file instead of the store")
  Path recordsFile;

  @Option(names = "--as-of", paramLabel = "T", description = "with --records: decide as of T")
  String asOf;

  @Option(
      names = "--consent",
      description = "with --records: the subject has granted consent for this purpose")
  boolean consent;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Override
  public Integer call() {
    Purpose p;
    try {
      p = Purpose.of(purpose);
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    return recordsFile != null ? fromFiles(p) : fromStore(p);
  }

  private int fromStore(Purpose p) {
    if (asOf != null || consent) {
      throw new BadInput(
          "--as-of and --consent go with --records; from the store a decision is made now, with"
              + " the consents the subject granted");
    }
    Instant now = Credo.clock.instant();
    try (CliApplication cli = CliApplication.open(data)) {
      DecisionOutcome outcome =
          cli.app()
              .decisions()
              .decide(
                  new Decisions.Asker(Optional.ofNullable(party), CliAudit.actor()),
                  ScoreCommand.subject(subject),
                  p,
                  Optional.ofNullable(policyOption),
                  now);
      if (!(outcome instanceof DecisionOutcome.DecisionMade made)) {
        throw BadInput.refused((Refusal) outcome);
      }
      DecisionAnswer answer;
      try {
        answer = made.answer().join();
      } catch (CompletionException e) {
        throw new BadInput("the decision's inquiry could not be logged: " + e.getCause());
      }
      print(made.decision(), answer.body());
    }
    return Credo.OK;
  }

  private int fromFiles(Purpose p) {
    if (policyOption == null) {
      throw new BadInput("--records needs --policy FILE");
    }
    Score score = ScoreCommand.score(subject, Path.of(policyOption), recordsFile, asOf, null);
    Policy policy = Inputs.policy(Path.of(policyOption));
    PurposeDefinition def =
        policy
            .purpose(p)
            .orElseThrow(
                () ->
                    new BadInput(
                        "policy "
                            + policy.ref()
                            + " has no purpose '"
                            + purpose
                            + "': it has "
                            + policy.purposes().keySet()));
    if (Decisions.needsConsent(def, () -> consent)) {
      throw BadInput.refused(
          new DecisionOutcome.ConsentMissing(Optional.ofNullable(party), p, policy.ref()));
    }
    Decision decision = Decider.decide(policy, score, p);
    print(
        decision,
        DecisionWire.of(decision, Optional.empty(), Optional.ofNullable(party), policy.scale(), 0));
    return Credo.OK;
  }

  private void print(Decision decision, Object body) {
    if (json) {
      spec.commandLine().getOut().println(Wire.pretty(body));
    } else {
      spec.commandLine().getOut().print(ScoreText.render(decision));
    }
  }
}
