package org.credo.server;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Party;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.policy.Purpose;
import org.credo.records.SourceId;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;

/**
 * A server on a random port over a store with the rongcheng- and bureau-style policies, three
 * sources, three relying parties, a few records and one token of every kind.
 */
final class Fixture implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

  /** On the judgment-defaulters black list. */
  static final String DEFAULTER = "person:371082198506120049";

  /** Bills paid on time, nothing else. */
  static final String GOOD = "person:370102199001011231";

  /** Valid, but Credo holds nothing about them. */
  static final String STRANGER = "person:110101199003074477";

  static final Path POLICIES = Path.of("..", "policies");

  final MutableClock clock = new MutableClock(START);
  final CredoServer server;
  final Api api;
  final Map<Role, String> tokenByRole;
  final String operator;
  final String auditor;
  final String court;
  final String utilities;
  final String airline;
  final String landlord;
  final String lender;
  final String defaulter;
  final String good;

  Fixture(Store store, Path keyFolder, ServerConfig config) throws IOException {
    Engine engine = new Engine(store);
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    for (String p : List.of("rongcheng-style", "bureau-style")) {
      try {
        engine.activate(p + ".yaml", Files.readString(POLICIES.resolve(p + ".yaml")), t0);
      } catch (org.credo.policy.PolicyException e) {
        throw new IllegalStateException(e);
      }
    }
    store
        .sources()
        .put(new SourceRegistration(SourceId.of("court-enforcement"), List.of("court"), t0));
    store
        .sources()
        .put(new SourceRegistration(SourceId.of("city-utilities"), List.of("utility"), t0));
    store.sources().put(new SourceRegistration(SourceId.of("city-bank"), List.of("bank"), t0));
    var parties = new org.credo.access.Parties(store.dataSource());
    parties.put(new Party("airline", Set.of(Purpose.of("air_travel")), t0));
    parties.put(
        new Party(
            "landlord",
            Set.of(Purpose.of("rental_deposit_waiver"), Purpose.of("tenant_screening")),
            t0));
    parties.put(new Party("lender", Set.of(Purpose.of("lending")), t0));
    // The judgment was learned in March: its list entry's notice period is long over.
    new Importer(
            store,
            engine.activePolicies(START),
            Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), java.time.ZoneOffset.UTC),
            Importer.Options.defaults())
        .run(
            new StringReader(
                "{\"source\":\"court-enforcement\",\"id\":\"jd-1\",\"subject\":\""
                    + DEFAULTER
                    + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-03-01\","
                    + "\"evidence\":\"case (2026) Lu 01 Zhi 42\"}\n"),
            Importer.Format.NDJSON,
            r -> {},
            n -> {});
    StringBuilder records = new StringBuilder();
    for (int m = 1; m <= 9; m++) {
      records.append(
          "{\"source\":\"city-utilities\",\"id\":\"bill-"
              + m
              + "\",\"subject\":\""
              + GOOD
              + "\",\"type\":\"utility.bill_paid_on_time\",\"occurred\":\"2026-0"
              + m
              + "-05\"}\n");
    }
    new Importer(store, engine.activePolicies(START), clock, Importer.Options.defaults())
        .run(new StringReader(records.toString()), Importer.Format.NDJSON, r -> {}, n -> {});
    Tokens tokens = new Tokens(store, Duration.ofSeconds(10));
    operator = tokens.create(Role.OPERATOR, Optional.empty(), Optional.empty(), START).secret();
    auditor = tokens.create(Role.AUDITOR, Optional.empty(), Optional.empty(), START).secret();
    court =
        tokens
            .create(Role.PROVIDER, Optional.of("court-enforcement"), Optional.empty(), START)
            .secret();
    utilities =
        tokens
            .create(Role.PROVIDER, Optional.of("city-utilities"), Optional.empty(), START)
            .secret();
    airline =
        tokens.create(Role.RELYING_PARTY, Optional.of("airline"), Optional.empty(), START).secret();
    landlord =
        tokens
            .create(Role.RELYING_PARTY, Optional.of("landlord"), Optional.empty(), START)
            .secret();
    lender =
        tokens.create(Role.RELYING_PARTY, Optional.of("lender"), Optional.empty(), START).secret();
    defaulter =
        tokens.create(Role.SUBJECT, Optional.of(DEFAULTER), Optional.empty(), START).secret();
    good = tokens.create(Role.SUBJECT, Optional.of(GOOD), Optional.empty(), START).secret();
    tokenByRole =
        Map.of(
            Role.OPERATOR, operator,
            Role.AUDITOR, auditor,
            Role.PROVIDER, court,
            Role.RELYING_PARTY, airline,
            Role.SUBJECT, good);
    server = CredoServer.start(config, store, true, keyFolder, clock);
    api = new Api(server.port());
  }

  static ServerConfig config(Path dir) {
    return ServerConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            "data",
            dir.toString(),
            "port",
            "0",
            "limits.decisions-per-second",
            "1000",
            "limits.reports-per-minute",
            "1000",
            "limits.refused-per-minute",
            "100000",
            "limits.subject-reads-per-minute",
            "100000",
            "limits.address-reads-per-second",
            "100000",
            "http.max-body-bytes",
            "1m",
            "shutdown.grace",
            "PT2S"));
  }

  /** A decision request body. */
  static String decision(String subject, String purpose) {
    return "{\"subject\":\"" + subject + "\",\"purpose\":\"" + purpose + "\"}";
  }

  @Override
  public void close() {
    server.close();
  }
}
