package org.credo.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.credo.retention.Retention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code credo purge}: deletes records past their rule's expiry plus a grace period. */
@Command(
    name = "purge",
    description =
        "Delete records past their rule's expiry plus a grace period (the server does this daily).")
final class PurgeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataOption data;

  @Option(
      names = "--grace",
      description =
          "kept this long past expiry (ISO-8601; default: the setting retention.grace, as the"
              + " server reads it: P90D unless configured)")
  String grace;

  @Option(names = "--dry-run", description = "count what would be purged, delete nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    Duration g;
    try {
      g = grace == null ? CliApplication.settings().retentionGrace() : Duration.parse(grace);
    } catch (java.time.format.DateTimeParseException e) {
      throw new BadInput("--grace is not an ISO-8601 duration such as P90D: '" + grace + "'");
    }
    if (g.isNegative()) {
      throw new BadInput("--grace must not be negative");
    }
    try (CliApplication cli = CliApplication.open(data)) {
      Retention.Purge p =
          cli.app()
              .purges()
              .purge(CliAudit.CALLER, Credo.clock.instant(), java.util.Optional.of(g), dryRun);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%s %d records%n", dryRun ? "would purge" : "purged", p.purged());
      p.byType().forEach((type, n) -> out.printf("  %-40s %d%n", type, n));
    }
    return Credo.OK;
  }
}
