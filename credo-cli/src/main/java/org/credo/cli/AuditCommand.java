package org.credo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.credo.app.wire.VerificationWire;
import org.credo.audit.SignatureCheck;
import org.credo.audit.Verification;
import org.credo.signing.AuditKeys;
import org.credo.signing.PublicKey;
import org.credo.signing.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code credo audit verify}: recomputes the audit chain and checks the signed checkpoints. */
@Command(
    name = "audit",
    description = "The tamper-evident audit log.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Refused.class})
final class AuditCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      description =
          "Recompute the whole hash chain and check every signed checkpoint. Exit 0 when intact;"
              + " 1 with the first bad entry and why.")
  static final class Verify implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      // Checkpoints are signed with the server's key; its public half is in the data folder.
      Optional<PublicKey> key =
          Files.exists(data.dir().resolve(SigningKey.FILE))
              ? Optional.of(SigningKey.publicKeyInFolder(data.dir()))
              : Optional.empty();
      Optional<SignatureCheck> check = key.map(AuditKeys::check);
      Verification v;
      try (CliApplication cli = CliApplication.open(data)) {
        v = cli.app().auditTrail().verify(CliAudit.CALLER, check, Credo.clock.instant());
      }
      if (json) {
        out.println(Wire.pretty(VerificationWire.of(v)));
      } else if (v.ok()) {
        out.printf(
            Locale.ROOT,
            "audit log intact: %,d entries, %d checkpoints (%s), %.2f s, %,.0f entries/s%n",
            v.entries(),
            v.checkpoints(),
            v.signaturesChecked()
                ? "signatures checked with key " + key.get().keyId()
                : "signatures NOT checked: no " + SigningKey.FILE + " in " + data.dir(),
            v.seconds(),
            v.rate());
      } else {
        spec.commandLine()
            .getErr()
            .printf("audit log BROKEN at entry %d: %s%n", v.firstBad().getAsLong(), v.reason());
      }
      return v.ok() ? Credo.OK : Credo.CHECK_FAILED;
    }
  }

  @Command(
      name = "refused",
      description =
          "The newest refused API requests (401, 403): who tried, the route, why and from which"
              + " address, newest first.")
  static final class Refused implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (default 50)")
    int limit;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 10_000) {
        throw new BadInput("--limit must be from 1 to 10000");
      }
      java.util.List<org.credo.audit.LoggedEntry> found;
      try (CliApplication cli = CliApplication.open(data)) {
        found = cli.app().auditTrail().refused(CliAudit.CALLER, limit, Credo.clock.instant());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(
            Wire.pretty(
                java.util.Map.of(
                    "entries",
                    found.stream().map(org.credo.app.wire.AuditEntryWire::of).toList())));
        return Credo.OK;
      }
      for (org.credo.audit.LoggedEntry e : found) {
        out.printf(
            "%s  #%d  %-28s %s%n", e.entry().at(), e.seq(), e.entry().actor(), e.entry().detail());
      }
      out.printf("%d refused requests%n", found.size());
      return Credo.OK;
    }
  }
}
