package org.credo.disputes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.engine.Engine;
import org.credo.ingest.Importer;
import org.credo.notify.Notice;
import org.credo.notify.Outbox;
import org.credo.records.SourceId;
import org.credo.scoring.Contribution;
import org.credo.scoring.ContributionStatus;
import org.credo.scoring.Score;
import org.credo.store.Keys;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispute workflow on a real store (SQLite, then PostgreSQL): every path and every refusal. */
class DisputesTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final SubjectId ANNA = SubjectId.parse("person:P-1");
  static final SubjectId BORIS = SubjectId.parse("person:P-2");

  @TempDir Path dir;

  @Test
  void sqlite() throws Exception {
    try (Store store = Store.openFolder(dir, true)) {
      walk(store);
    }
    // Across a restart: the state and the suppression are read back from the store.
    try (Store store = Store.openFolder(dir, true)) {
      afterRestart(store);
    }
  }

  @Test
  void postgres() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      Keys keys = Keys.generate();
      try (Store store = Store.openPostgres(url, "postgres", null, keys)) {
        walk(store);
      }
      try (Store store = Store.openPostgres(url, "postgres", null, keys)) {
        afterRestart(store);
      }
    }
  }

  private static Engine setUp(Store store) throws Exception {
    Engine engine = new Engine(store);
    Path file = Path.of("..", "policies", "rongcheng-style.yaml");
    engine.activate(file.toString(), Files.readString(file), Instant.parse("2020-01-01T00:00:00Z"));
    store.sources().put(new SourceRegistration(SourceId.of("court"), List.of("court"), T0));
    store.sources().put(new SourceRegistration(SourceId.of("city"), List.of("traffic"), T0));
    engine.buildIndex(T0);
    String ndjson =
        """
        {"source":"court","id":"j1","subject":"person:P-1","type":"court.judgment_defaulter","occurred":"2026-06-01"}
        {"source":"court","id":"j2","subject":"person:P-1","type":"court.breach_of_contract","occurred":"2026-06-02"}
        {"source":"court","id":"j3","subject":"person:P-1","type":"court.repayment_liability","occurred":"2026-06-03"}
        {"source":"city","id":"t1","subject":"person:P-2","type":"traffic.red_light","occurred":"2026-06-04"}
        """;
    new Importer(
            store,
            engine.activePolicies(T0),
            Clock.fixed(T0, ZoneOffset.UTC),
            Importer.Options.defaults(),
            engine::accepted)
        .run(new StringReader(ndjson), Importer.Format.NDJSON, r -> {}, n -> {});
    return engine;
  }

  private static Contribution of(Score score, String key) {
    return score.contributions().stream()
        .filter(c -> c.record().key().equals(key))
        .findFirst()
        .orElseThrow();
  }

  void walk(Store store) throws Exception {
    Engine engine = setUp(store);
    Disputes disputes = new Disputes(engine);
    Outbox outbox = new Outbox(store);
    Instant t1 = T0.plus(Duration.ofDays(1));

    // Refusals, each leaving nothing behind.
    assertRefused(
        () -> disputes.open(ANNA, "city/t1", "not mine", "cli", t1),
        DisputeException.Kind.FORBIDDEN);
    assertRefused(
        () -> disputes.open(ANNA, "court/nope", "no such", "cli", t1),
        DisputeException.Kind.NOT_FOUND);
    assertRefused(
        () -> disputes.open(ANNA, "court/j1", "  ", "cli", t1), DisputeException.Kind.BAD_INPUT);
    assertRefused(
        () -> disputes.open(ANNA, "court/j1", "word ".repeat(101), "cli", t1),
        DisputeException.Kind.BAD_INPUT);
    assertRefused(() -> disputes.open(ANNA, "j1", "x", "cli", t1), DisputeException.Kind.BAD_INPUT);
    assertThat(disputes.forSubject(ANNA)).isEmpty();

    // 1. Open, then the deadline passes: the record is suppressed.
    Dispute d1 = disputes.open(ANNA, "court/j1", "I paid this judgment in May.", "subject:t", t1);
    assertThat(d1.state()).isEqualTo(DisputeState.OPEN);
    assertThat(d1.deadline()).isEqualTo(t1.plus(Duration.ofDays(30)));
    assertThat(disputes.openCount(ANNA)).isEqualTo(1);
    assertRefused(
        () -> disputes.open(ANNA, "court/j1", "again", "cli", t1), DisputeException.Kind.CONFLICT);
    assertRefused(
        () ->
            disputes.answer(
                d1.id(),
                new Disputes.Answer.Reject("no"),
                Optional.of(SourceId.of("city")),
                "source:city",
                t1),
        DisputeException.Kind.FORBIDDEN);
    assertThat(disputes.expireDue(t1.plus(Duration.ofDays(29)))).isZero();
    Instant t2 = t1.plus(Duration.ofDays(31));
    assertThat(disputes.expireDue(t2)).isEqualTo(1);
    assertThat(disputes.expireDue(t2)).isZero();
    assertThat(disputes.get(d1.id()).orElseThrow().state()).isEqualTo(DisputeState.EXPIRED);
    assertThat(disputes.openCount(ANNA)).isZero();
    assertRefused(
        () ->
            disputes.answer(
                d1.id(),
                new Disputes.Answer.Reject("late"),
                Optional.of(SourceId.of("court")),
                "source:court",
                t2),
        DisputeException.Kind.CONFLICT);
    Score now = engine.scores(ANNA, t2, t2).get(0);
    Score before = engine.scores(ANNA, t2, t1).get(0);
    assertThat(of(now, "court/j1").status()).isEqualTo(ContributionStatus.RETRACTED);
    assertThat(of(before, "court/j1").status()).isEqualTo(ContributionStatus.COUNTED);
    assertThat(now.value()).isGreaterThan(before.value());

    // 2. Upheld with a correction; 3. rejected with a reason.
    Dispute d2 = disputes.open(ANNA, "court/j2", "The amount is wrong.", "cli", t2);
    assertRefused(
        () ->
            disputes.answer(
                d2.id(),
                new Disputes.Answer.Correct(Map.of(), Optional.empty()),
                Optional.of(SourceId.of("court")),
                "source:court",
                t2),
        DisputeException.Kind.BAD_INPUT);
    Dispute upheld =
        disputes.answer(
            d2.id(),
            new Disputes.Answer.Withdraw(Optional.of("entered in error")),
            Optional.of(SourceId.of("court")),
            "source:court",
            t2.plusSeconds(60));
    assertThat(upheld.state()).isEqualTo(DisputeState.UPHELD);
    assertThat(upheld.result()).contains("court/dispute:" + d2.id() + ":withdrawn");
    Dispute d3 = disputes.open(ANNA, "court/j3", "Not my debt.", "cli", t2);
    assertRefused(
        () ->
            disputes.answer(
                d3.id(), new Disputes.Answer.Reject(" "), Optional.empty(), "operator:o", t2),
        DisputeException.Kind.BAD_INPUT);
    Dispute rejected =
        disputes.answer(
            d3.id(),
            new Disputes.Answer.Reject("signed contract on file"),
            Optional.empty(),
            "operator:o",
            t2.plusSeconds(120));
    assertThat(rejected.state()).isEqualTo(DisputeState.REJECTED);
    assertThat(rejected.statement()).isEqualTo("Not my debt.");
    assertThat(rejected.history())
        .extracting(Dispute.Event::state)
        .containsExactly(DisputeState.OPEN, DisputeState.REJECTED);
    Score after = engine.scores(ANNA, t2, t2.plusSeconds(300)).get(0);
    assertThat(of(after, "court/j2").status()).isEqualTo(ContributionStatus.RETRACTED);
    assertThat(of(after, "court/j3").status()).isEqualTo(ContributionStatus.COUNTED);

    assertThat(disputes.queue(Optional.empty(), Optional.of(SourceId.of("court")), 10))
        .extracting(Dispute::id)
        .containsExactlyInAnyOrder(d1.id(), d2.id(), d3.id());
    assertThat(outbox.forSubject(ANNA, 50))
        .extracting(n -> n.notice().kind())
        .containsOnly(Notice.DISPUTE, Notice.NEGATIVE_RECORD, Notice.LIST_NOTICE);
    assertThat(outbox.forSubject(ANNA, 50))
        .filteredOn(n -> n.notice().kind().equals(Notice.DISPUTE))
        .hasSize(6);
    assertThat(outbox.due(t2.plusSeconds(300), 100))
        .allSatisfy(due -> assertThat(due.subject()).isIn(ANNA, BORIS));
  }

  void afterRestart(Store store) throws Exception {
    Engine engine = new Engine(store);
    Instant t3 = T0.plus(Duration.ofDays(40));
    engine.buildIndex(t3);
    Disputes disputes = new Disputes(engine);
    Dispute d1 =
        disputes.forSubject(ANNA).stream()
            .filter(d -> d.record().equals("court/j1"))
            .findFirst()
            .orElseThrow();
    assertThat(d1.state()).isEqualTo(DisputeState.EXPIRED);
    assertThat(of(engine.scores(ANNA, t3, t3).get(0), "court/j1").status())
        .isEqualTo(ContributionStatus.RETRACTED);
    assertRefused(
        () ->
            disputes.recertify(d1.id(), Optional.of(SourceId.of("court")), "", "source:court", t3),
        DisputeException.Kind.BAD_INPUT);
    Dispute back =
        disputes.recertify(
            d1.id(), Optional.of(SourceId.of("court")), "payment bounced", "source:court", t3);
    assertThat(back.state()).isEqualTo(DisputeState.RECERTIFIED);
    Score score = engine.scores(ANNA, t3, t3.plusSeconds(1)).get(0);
    assertThat(of(score, "court/dispute:" + d1.id() + ":recertified").status())
        .isEqualTo(ContributionStatus.COUNTED);
    assertThat(score.lists()).isNotEmpty();
  }

  private static void assertRefused(Runnable r, DisputeException.Kind kind) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(DisputeException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
