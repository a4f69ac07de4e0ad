package org.credo.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.app.access.Access;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credo token create|list|revoke}: API tokens, stored hashed. */
@Command(
    name = "token",
    description = "Create, list and revoke API tokens.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Scope {
    @Option(names = "--source", paramLabel = "S", description = "a provider token's source")
    String source;

    @Option(names = "--subject", paramLabel = "S", description = "a subject token's subject")
    String subject;

    @Option(names = "--party", paramLabel = "P", description = "a relying party token's party")
    String party;

    Optional<String> value() {
      return Optional.ofNullable(source != null ? source : subject != null ? subject : party);
    }
  }

  @Command(
      name = "create",
      description = "Create a token and print it once: only its hash is stored.")
  static final class Create implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "R",
        description = "operator, provider, relying_party, subject or auditor")
    String role;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Scope scope = new Scope();

    @Option(
        names = "--expires-in",
        paramLabel = "D",
        description = "an ISO-8601 duration such as P90D; default: no expiry")
    String expiresIn;

    @Override
    public Integer call() {
      Role r;
      Optional<Instant> expires = Optional.empty();
      Instant now = Credo.clock.instant();
      try {
        r = Role.parse(role);
        if (expiresIn != null) {
          Duration d = Duration.parse(expiresIn);
          if (d.isNegative() || d.isZero()) {
            throw new BadInput(
                "--expires-in must be a positive duration such as P90D, not " + expiresIn);
          }
          expires = Optional.of(now.plus(d));
        }
      } catch (IllegalArgumentException e) {
        throw new BadInput(e.getMessage());
      } catch (DateTimeParseException e) {
        throw new BadInput("--expires-in must be an ISO-8601 duration such as P90D");
      }
      Scope s = scope == null ? new Scope() : scope;
      Optional<String> given = s.value();
      String expected =
          switch (r) {
            case PROVIDER -> "--source";
            case SUBJECT -> "--subject";
            case RELYING_PARTY -> "--party";
            default -> null;
          };
      String named =
          s.source != null
              ? "--source"
              : s.subject != null ? "--subject" : s.party != null ? "--party" : null;
      if (named != null && !named.equals(expected)) {
        throw new BadInput(
            "a "
                + r.word()
                + " token takes "
                + (expected == null ? "no --source, --subject or --party" : expected)
                + ", not "
                + named);
      }
      try (CliApplication cli = CliApplication.open(data)) {
        Access.TokenOutcome outcome =
            cli.app().access().createToken(CliAudit.CALLER, r, given, expires, now);
        if (outcome instanceof Access.TokenOutcome.BadScope bad) {
          throw new BadInput(bad.message());
        }
        Tokens.Issued issued = ((Access.TokenOutcome.Created) outcome).token();
        var out = spec.commandLine().getOut();
        out.println(issued.secret());
        spec.commandLine()
            .getErr()
            .printf(
                "token %s: %s%s%s — shown once, keep it secret%n",
                issued.id(),
                r.word(),
                r == Role.SUBJECT
                    ? " for " + given.get()
                    : issued.scope().map(x -> " for " + x).orElse(""),
                expires.map(e -> ", expires " + e).orElse(""));
      } catch (IllegalArgumentException e) {
        throw new BadInput(e.getMessage());
      }
      return Credo.OK;
    }
  }

  @Command(name = "list", description = "List tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() {
      Instant now = Credo.clock.instant();
      try (CliApplication cli = CliApplication.open(data)) {
        for (Tokens.Info t : cli.app().access().tokens()) {
          String state =
              t.revoked().isPresent()
                  ? "revoked " + t.revoked().get()
                  : t.expires()
                      .map(e -> e.isAfter(now) ? "expires " + e : "expired " + e)
                      .orElse("active");
          spec.commandLine()
              .getOut()
              .printf(
                  "%-16s %-13s %-34s %s%n",
                  t.id(),
                  t.role().word(),
                  t.role() == org.credo.access.Role.SUBJECT ? "(a subject)" : t.scope().orElse("-"),
                  state);
        }
      }
      return Credo.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a token by its id (takes effect within seconds).")
  static final class Revoke implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataOption data;

    @Parameters(index = "0", paramLabel = "ID", description = "the token id, e.g. tok-0123456789ab")
    String id;

    @Override
    public Integer call() {
      try (CliApplication cli = CliApplication.open(data)) {
        if (!cli.app().access().revokeToken(CliAudit.CALLER, id, Credo.clock.instant())) {
          spec.commandLine().getErr().println("credo: no active token " + id);
          return Credo.CHECK_FAILED;
        }
      }
      spec.commandLine().getOut().println("revoked " + id);
      return Credo.OK;
    }
  }
}
