package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.credo.app.scores.Report;
import org.credo.app.scores.ScoresOutcome;
import org.credo.audit.AuditLog;
import org.credo.disputes.Dispute;
import org.credo.disputes.DisputeException;
import org.credo.disputes.Disputes;
import org.credo.engine.Distribution;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.policy.Policy;
import org.credo.records.SourceId;
import org.credo.scoring.Score;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One path to a score: over random stores — corrections, retractions, disputes upheld, rejected and
 * expired, black-list entries in their notice period, disputed during it, repaired, and two
 * versions of a policy — every way to a subject's score gives the same JSON: the application
 * without the in-memory index (as {@code credo score} and {@code credo report} run), with it (as
 * the server runs), the report's scores, and a replay under each policy version, at several {@code
 * asOf} and {@code knownAt} instants; and the rescoring of everyone agrees with and without the
 * index.
 */
class OnePathToAScoreTest {
  static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-20T00:00:00Z");
  static final Path POLICIES = Path.of("..", "policies");

  /** Sources and the record types each may send (none needs an attribute). */
  static final Map<String, List<String>> TYPES =
      Map.of(
          "court",
          List.of(
              "court.judgment_defaulter",
              "court.breach_of_contract",
              "court.repayment_liability",
              "court.civil_judgment"),
          "city",
          List.of(
              "traffic.red_light",
              "traffic.speeding",
              "utility.bill_paid_on_time",
              "utility.fee_delayed",
              "civic.heroic_act"),
          "bank",
          List.of(
              "account.paid_as_agreed",
              "account.opened",
              "loan.repaid_on_time",
              "loan.default",
              "card.paid_on_time",
              "credit.hard_inquiry"));

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void everyPathGivesTheSameScore(long seed) throws Exception {
    Random random = new Random(seed);
    List<SubjectId> subjects = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      subjects.add(SubjectId.parse("person:P-" + seed + "-" + i));
    }
    try (Store store = Store.openFolder(dir.resolve("store"), true);
        AuditLog log = AuditLog.open(store)) {
      Instant[] imports = fill(store, log, subjects, random);
      CredoApplication plain = application(store, log);
      CredoApplication indexed = application(store, log);
      indexed.engine().buildIndex(NOW);
      List<Instant[]> instants =
          List.of(
              new Instant[] {NOW, NOW},
              new Instant[] {NOW.minus(Duration.ofDays(200)), NOW},
              new Instant[] {NOW.minus(Duration.ofDays(200)), NOW.minus(Duration.ofDays(200))},
              new Instant[] {NOW, imports[1]},
              new Instant[] {imports[0], imports[0]});
      int compared = 0;
      for (SubjectId s : subjects) {
        for (Instant[] at : instants) {
          ScoresOutcome a = plain.scores().score(s, at[0], at[1], Optional.empty(), NOW);
          ScoresOutcome b = indexed.scores().score(s, at[0], at[1], Optional.empty(), NOW);
          assertThat(a.getClass()).as("%s at %s/%s", s, at[0], at[1]).isEqualTo(b.getClass());
          if (!(a instanceof ScoresOutcome.Scored sa)) {
            continue;
          }
          ObjectNode ja = WireTrees.scores(sa);
          ObjectNode jb = WireTrees.scores((ScoresOutcome.Scored) b);
          assertThat(jb.toString()).as("%s at %s/%s", s, at[0], at[1]).isEqualTo(ja.toString());
          // A replay under the very policy version each score names.
          for (Score score : sa.scores()) {
            Policy p = plain.engine().policy(score.policy());
            for (CredoApplication app : List.of(plain, indexed)) {
              assertThat(WireTrees.score(app.engine().score(s, p, at[0], at[1])).toString())
                  .isEqualTo(WireTrees.score(score).toString());
            }
          }
          compared += sa.scores().size();
        }
        Optional<Report> ra = plain.scores().report(s, NOW);
        Optional<Report> rb = indexed.scores().report(s, NOW);
        assertThat(rb.isPresent()).isEqualTo(ra.isPresent());
        if (ra.isPresent()) {
          String scored =
              WireTrees.scores(
                      (ScoresOutcome.Scored)
                          plain.scores().score(s, NOW, NOW, Optional.empty(), NOW))
                  .get("scores")
                  .toString();
          assertThat(WireTrees.report(ra.get()).get("scores").toString()).isEqualTo(scored);
          assertThat(WireTrees.report(rb.get()).get("scores").toString()).isEqualTo(scored);
        }
      }
      assertThat(compared).isGreaterThan(100);
      for (Policy p : plain.engine().activePolicies(NOW)) {
        Distribution stored = plain.engine().distribution(p, NOW);
        Distribution fromIndex = indexed.engine().distribution(p, NOW);
        assertThat(fromIndex.grades()).as(p.ref().toString()).isEqualTo(stored.grades());
        assertThat(fromIndex.lists()).as(p.ref().toString()).isEqualTo(stored.lists());
        assertThat(fromIndex.histogram()).as(p.ref().toString()).isEqualTo(stored.histogram());
      }
    }
  }

  private static CredoApplication application(Store store, AuditLog log) {
    return new CredoApplication(
        store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
  }

  /**
   * Writes a random history: three imports at different instants (with corrections and
   * retractions), a second version of the point policy, disputes answered every way, and repairs.
   *
   * @return the instants of the imports
   */
  private static Instant[] fill(Store store, AuditLog log, List<SubjectId> subjects, Random random)
      throws Exception {
    CredoApplication app = application(store, log);
    Engine engine = app.engine();
    String rongcheng = Files.readString(POLICIES.resolve("rongcheng-style.yaml"));
    engine.activate("rongcheng-style.yaml", rongcheng, START);
    engine.activate(
        "bureau-style.yaml", Files.readString(POLICIES.resolve("bureau-style.yaml")), START);
    TYPES.forEach(
        (source, types) ->
            store
                .sources()
                .put(
                    new SourceRegistration(
                        SourceId.of(source),
                        types.stream().map(t -> t.substring(0, t.indexOf('.'))).distinct().toList(),
                        START)));
    Instant[] imports = {
      NOW.minus(Duration.ofDays(400)),
      NOW.minus(Duration.ofDays(120)),
      NOW.minus(Duration.ofDays(20))
    };
    List<String[]> written = new ArrayList<>(); // source, id, subject, type
    int[] stats = new int[3]; // disputes expired, disputes upheld, repairs granted
    for (int round = 0; round < imports.length; round++) {
      if (round == 1) {
        // A second version of the point policy: a red light costs more from now on.
        engine.activate(
            "rongcheng-style.yaml",
            rongcheng
                .replace("version: 2", "version: 3")
                .replace(
                    "{type: traffic.red_light, domain: public_order, points: -5",
                    "{type: traffic.red_light, domain: public_order, points: -7"),
            imports[round].minus(Duration.ofDays(1)));
      }
      StringBuilder ndjson = new StringBuilder();
      for (SubjectId s : subjects) {
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          String source = List.of("court", "city", "bank").get(random.nextInt(3));
          List<String> types = TYPES.get(source);
          String type = types.get(random.nextInt(types.size()));
          String id = "r" + round + "-" + written.size();
          Instant occurred =
              imports[round].minus(Duration.ofDays(random.nextInt(round == 0 ? 900 : 200)));
          String link = "";
          List<String[]> same =
              written.stream()
                  .filter(w -> w[0].equals(source) && w[2].equals(s.toString()))
                  .toList();
          if (!same.isEmpty() && random.nextInt(4) == 0) {
            String[] target = same.get(random.nextInt(same.size()));
            link =
                random.nextBoolean()
                    ? ",\"supersedes\":\"" + target[1] + "\""
                    : ",\"retracts\":\"" + target[1] + "\"";
            type = target[3];
          }
          ndjson.append(
              String.format(
                  "{\"source\":\"%s\",\"id\":\"%s\",\"subject\":\"%s\",\"type\":\"%s\",\"occurred\":\"%s\"%s}%n",
                  source, id, s, type, occurred, link));
          written.add(new String[] {source, id, s.toString(), type});
        }
      }
      new Importer(
              store,
              engine.activePolicies(imports[round]),
              Clock.fixed(imports[round], ZoneOffset.UTC),
              Importer.Options.defaults(),
              engine::accepted)
          .run(new StringReader(ndjson.toString()), Importer.Format.NDJSON, r -> {}, x -> {});
      // Disputes after each import: some answered each way, some left to expire.
      Instant t = imports[round].plus(Duration.ofDays(1));
      Disputes disputes = app.disputes();
      for (String[] w : written) {
        if (!w[1].startsWith("r" + round + "-") || random.nextInt(6) != 0) {
          continue;
        }
        Dispute d;
        try {
          d = disputes.open(SubjectId.parse(w[2]), w[0] + "/" + w[1], "not mine", "test", t);
        } catch (DisputeException e) {
          continue; // e.g. a retraction, or a record already withdrawn
        }
        switch (random.nextInt(3)) {
          case 0 -> {
            stats[1]++;
            disputes.answer(
                d.id(),
                new Disputes.Answer.Withdraw(Optional.empty()),
                Optional.empty(),
                "test",
                t.plus(Duration.ofDays(2)));
          }
          case 1 ->
              disputes.answer(
                  d.id(),
                  new Disputes.Answer.Reject("it is yours"),
                  Optional.empty(),
                  "test",
                  t.plus(Duration.ofDays(2)));
          default -> {} // left open: expires below, or stays open if the deadline is ahead
        }
      }
      stats[0] +=
          disputes.expireDue(
              t.plus(Duration.ofDays(40)).isAfter(NOW) ? NOW : t.plus(Duration.ofDays(40)));
      // A repair of the defaulter list for some, granted.
      for (SubjectId s : subjects) {
        boolean listed =
            written.stream()
                .anyMatch(
                    w -> w[2].equals(s.toString()) && w[3].equals("court.judgment_defaulter"));
        if (listed && random.nextBoolean()) {
          try {
            var repair =
                app.repairs()
                    .apply(
                        s,
                        "judgment-defaulters",
                        "paid in full",
                        "test",
                        t.plus(Duration.ofDays(15)));
            app.repairs()
                .decide(repair.id(), true, "proof seen", "test", t.plus(Duration.ofDays(16)));
            stats[2]++;
          } catch (RuntimeException e) {
            // not on the list: nothing to repair
          }
        }
      }
    }
    // The history holds what the paths could disagree on.
    assertThat(stats[0] > 0 && stats[1] > 0 && stats[2] > 0)
        .as("expired %s, upheld %s, repaired %s", stats[0], stats[1], stats[2])
        .isTrue();
    assertThat(engine.activePolicies(NOW))
        .anyMatch(p -> p.id().equals("rongcheng-style") && p.version() == 3);
    return imports;
  }
}
