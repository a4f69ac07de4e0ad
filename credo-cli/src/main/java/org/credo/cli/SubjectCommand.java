package org.credo.cli;

import java.util.concurrent.Callable;
import org.credo.app.Refusal;
import org.credo.app.subjects.ScoringModeOutcome;
import org.credo.subject.SubjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo subject scoring}: what a subject decides about itself, on its written request. */
@Command(
    name = "subject",
    description = "A subject's own choices: score-free mode.",
    subcommands = {SubjectCommand.Scoring.class})
final class SubjectCommand {
  private SubjectCommand() {}

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
