package org.credo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.credo.ingest.ImportException;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.ingest.Reject;
import org.credo.policy.Policy;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyRef;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, run against SQLite and against a real PostgreSQL server: each subclass
 * says how to open a fresh, empty store.
 */
abstract class StoreContract {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final SubjectId ALICE = SubjectId.parse("person:370102199001011231");
  static final SubjectId BOB = SubjectId.parse("person:371082198506120049");

  /** A fresh, empty store. */
  abstract Store freshStore();

  static Policy rongcheng() throws Exception {
    java.nio.file.Path path = java.nio.file.Path.of("..", "policies", "rongcheng-style.yaml");
    return PolicyLoader.load(
        path.toString(), java.nio.file.Files.readString(path), Catalogues.shipped().firewall());
  }

  static String line(
      String source, String id, SubjectId subject, String type, String occurred, String extra) {
    return "{\"source\":\""
        + source
        + "\",\"id\":\""
        + id
        + "\",\"subject\":\""
        + subject
        + "\",\"type\":\""
        + type
        + "\",\"occurred\":\""
        + occurred
        + "\""
        + extra
        + "}";
  }

  record Outcome(ImportSummary summary, List<Reject> rejects) {}

  static Outcome importText(Store store, String text, Importer.Format format) throws Exception {
    List<Reject> rejects = new ArrayList<>();
    Importer importer =
        new Importer(
            store, List.of(rongcheng()), CLOCK, new Importer.Options(Optional.empty(), false, 3));
    ImportSummary summary = importer.run(new StringReader(text), format, rejects::add, n -> {});
    return new Outcome(summary, rejects);
  }

  /** Alice's arrears record {@code id} from the bank, as of {@link #NOW}. */
  static Record arrears(String id) {
    return arrears(id, ALICE);
  }

  /** {@code subject}'s arrears record {@code id} from the bank, as of {@link #NOW}. */
  static Record arrears(String id, SubjectId subject) {
    return new Record(
        SourceId.of("bank"),
        id,
        subject,
        RecordType.of("bank.arrears"),
        Instant.parse("2026-01-31T00:00:00Z"),
        NOW,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static Store withSources(Store store) {
    store.sources().put(new SourceRegistration(SourceId.of("court"), List.of("court"), NOW));
    store
        .sources()
        .put(new SourceRegistration(SourceId.of("bank"), List.of("bank", "contract"), NOW));
    store.sources().put(new SourceRegistration(SourceId.of("police"), List.of("traffic"), NOW));
    return store;
  }

  @Test
  void registersSourcesAndTheTypesTheyMaySubmit() {
    try (Store store = withSources(freshStore())) {
      assertThat(store.sources().all())
          .extracting(s -> s.id().value())
          .containsExactly("bank", "court", "police");
      SourceRegistration bank = store.sources().get(SourceId.of("bank")).orElseThrow();
      assertThat(bank.allows(RecordType.of("bank.arrears"))).isTrue();
      assertThat(bank.allows(RecordType.of("court.judgment_defaulter"))).isFalse();
      store.sources().put(new SourceRegistration(SourceId.of("bank"), List.of("bank"), NOW));
      assertThat(store.sources().get(SourceId.of("bank")).orElseThrow().typePrefixes())
          .containsExactly("bank");
    }
  }

  @Test
  void keepsPolicyVersionsAndTheirActivationHistory() {
    try (Store store = freshStore()) {
      PolicyRef v1 = new PolicyRef("city", 1);
      PolicyRef v2 = new PolicyRef("city", 2);
      store.policies().save(v1, "text 1", NOW);
      store.policies().save(v1, "text 1", NOW); // the same again changes nothing
      assertThatThrownBy(() -> store.policies().save(v1, "other", NOW))
          .hasMessageContaining("new version");
      store.policies().save(v2, "text 2", NOW);
      store.policies().activate(v1, Instant.parse("2026-01-01T00:00:00Z"));
      store.policies().activate(v2, Instant.parse("2026-06-01T00:00:00Z"));
      assertThat(store.policies().activeAt(Instant.parse("2026-03-01T00:00:00Z")))
          .containsExactly(v1);
      assertThat(store.policies().activeAt(NOW)).containsExactly(v2);
      assertThat(store.policies().activeAt(Instant.parse("2025-03-01T00:00:00Z"))).isEmpty();
      assertThat(store.policies().activations()).hasSize(2);
      assertThatThrownBy(() -> store.policies().activate(new PolicyRef("city", 3), NOW))
          .hasMessageContaining("not saved");
    }
  }

  @Test
  void concurrentAppendsStoreEveryRecordOnceWithRowsOfTheirOwn() throws Exception {
    // Eight threads append 50 batches each; every batch repeats 10 ids every thread uses. Whatever
    // groups the appends share a commit in, each (source, id) gets one row and rows never repeat.
    try (Store store = withSources(freshStore())) {
      int threads = 8;
      int batches = 50;
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  List<Long> rows = new ArrayList<>();
                  for (int b = 0; b < batches; b++) {
                    List<Record> records = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                      String id =
                          i < 10 ? "shared-" + b + "-" + i : "t" + thread + "-" + b + "-" + i;
                      records.add(arrears(id));
                    }
                    for (long row :
                        store.append(new Store.Append(records, new long[records.size()]))) {
                      if (row > 0) {
                        rows.add(row);
                      }
                    }
                  }
                  return rows;
                }));
      }
      List<Long> all = new ArrayList<>();
      for (var f : futures) {
        all.addAll(f.get());
      }
      pool.shutdown();
      int expected = batches * 10 + threads * batches * 10;
      assertThat(all).hasSize(expected).doesNotHaveDuplicates();
      assertThat(store.recordCount()).isEqualTo(expected);
      assertThat(store.records(ALICE)).hasSize(expected);
    }
  }

  @Test
  void appendsRecordsIdempotentlyAndReadsThemBackBySubject() {
    try (Store store = freshStore()) {
      Record r =
          new Record(
              SourceId.of("bank"),
              "a1",
              ALICE,
              RecordType.of("bank.arrears"),
              Instant.parse("2026-01-31T00:00:00Z"),
              NOW,
              Map.of("cycles", 2.0, "note", "x", "ok", true),
              Optional.of("statement 1"),
              Optional.empty(),
              Optional.empty());
      assertThat(store.append(List.of(r))).containsExactly(true);
      assertThat(store.append(List.of(r, r.withAttributes(Map.of()))))
          .containsExactly(false, false);
      assertThat(store.records(ALICE)).containsExactly(r);
      assertThat(store.records(BOB)).isEmpty();
      assertThat(store.recordCount()).isEqualTo(1);
      List<Store.StoredRow> rows = new ArrayList<>();
      store.forEachRecord(rows::add);
      assertThat(rows)
          .singleElement()
          .satisfies(row -> assertThat(row.toRecord(ALICE)).isEqualTo(r));
    }
  }

  @Test
  void readsEachRowsTieKeyForTheIndexInUtf8() {
    try (Store store = freshStore()) {
      List<String> ids = List.of("a1", "\u00e9t\u00e9", "\uff10", "\ud83d\ude00 x");
      store.append(ids.stream().map(StoreContract::arrears).toList());
      List<byte[]> keys = new ArrayList<>();
      store.forEachIndexRow(type -> false, row -> keys.add(row.tieKey()));
      assertThat(keys)
          .containsExactlyElementsOf(
              ids.stream().map(id -> org.credo.scoring.RecordIndex.tieKey("bank", id)).toList());
    }
  }

  @Test
  void neverStoresTheRawSubjectIdentifierAndEncryptsNames() {
    try (Store store = freshStore()) {
      store.putDisplayName(ALICE, "Wang Fang");
      assertThat(store.displayName(ALICE)).contains("Wang Fang");
      assertThat(store.displayName(BOB)).isEmpty();
      assertThat(store.keys().pseudonym(ALICE))
          .hasSize(16)
          .isNotEqualTo(store.keys().pseudonym(BOB));
    }
  }

  @Test
  void importsValidLinesAndReportsEachRejectWithItsLine() throws Exception {
    try (Store store = withSources(freshStore())) {
      String text =
          String.join(
              "\n",
              line("court", "jd1", ALICE, "court.judgment_defaulter", "2026-03-01", ""),
              line(
                  "bank",
                  "a1",
                  ALICE,
                  "bank.arrears",
                  "2026-01-31",
                  ",\"attributes\":{\"cycles\":3}"),
              line(
                  "bank",
                  "a1c",
                  ALICE,
                  "bank.arrears",
                  "2026-01-31",
                  ",\"attributes\":{\"cycles\":2},\"supersedes\":\"a1\""),
              "{not json",
              line("police", "t1", ALICE, "court.judgment_defaulter", "2026-03-01", ""),
              line("nobody", "x", ALICE, "traffic.red_light", "2026-03-01", ""),
              line("police", "t2", ALICE, "traffic.unknown_kind", "2026-03-01", ""),
              line("bank", "a2", ALICE, "bank.arrears", "2026-01-31", ""),
              line("police", "t3", ALICE, "traffic.red_light", "2027-03-01", ""),
              line(
                  "police",
                  "t4",
                  ALICE,
                  "traffic.red_light",
                  "2026-03-01",
                  ",\"retracts\":\"nope\""),
              line(
                  "bank",
                  "a3",
                  BOB,
                  "bank.arrears",
                  "2026-01-31",
                  ",\"attributes\":{\"cycles\":1},\"supersedes\":\"a1\""),
              line("court", "jd1", ALICE, "court.judgment_defaulter", "2026-03-01", ""),
              line(
                  "police",
                  "t5",
                  SubjectId.parse("person:DE-1"),
                  "traffic.red_light",
                  "2026-03-01",
                  ""),
              "{\"source\":\"police\",\"id\":\"t6\",\"subject\":\"person:370102199001011232\",\"type\":\"traffic.red_light\",\"occurred\":\"2026-03-01\"}");
      Outcome out = importText(store, text, Importer.Format.NDJSON);
      assertThat(out.summary()).isEqualTo(new ImportSummary(14, 4, 1, 1, 0, 9));
      assertThat(out.rejects())
          .extracting(Reject::line)
          .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 14L);
      assertThat(out.rejects().get(0).reason()).startsWith("malformed JSON");
      assertThat(out.rejects().get(1).reason())
          .contains("not registered for type court.judgment_defaulter");
      assertThat(out.rejects().get(2).reason()).contains("source 'nobody' is not registered");
      assertThat(out.rejects().get(3).reason())
          .contains("record type 'traffic.unknown_kind' is not in the catalogue");
      assertThat(out.rejects().get(4).reason()).contains("needs attribute 'cycles' (number)");
      assertThat(out.rejects().get(5).reason()).contains("in the future");
      assertThat(out.rejects().get(6).reason())
          .contains("retracts 'nope', which source police never submitted");
      assertThat(out.rejects().get(7).reason()).contains("about another subject");
      assertThat(out.rejects().get(8).reason()).contains("check character");
      assertThat(store.records(ALICE)).extracting(Record::id).containsExactly("jd1", "a1", "a1c");
      assertThat(store.records(ALICE)).allSatisfy(r -> assertThat(r.learned()).isEqualTo(NOW));
    }
  }

  @Test
  void importingTheSameFileTwiceChangesNothing() throws Exception {
    try (Store store = withSources(freshStore())) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        text.append(
                line("police", "t" + i, ALICE, "traffic.red_light", "2026-03-0" + (i % 9 + 1), ""))
            .append('\n');
      }
      Outcome first = importText(store, text.toString(), Importer.Format.NDJSON);
      Outcome second = importText(store, text.toString(), Importer.Format.NDJSON);
      assertThat(first.summary().accepted()).isEqualTo(10);
      assertThat(second.summary()).isEqualTo(new ImportSummary(10, 0, 10, 0, 0, 0));
      assertThat(store.recordCount()).isEqualTo(10);
    }
  }

  @Test
  void aStoredIdWithOtherContentIsAConflictNotADuplicate() throws Exception {
    try (Store store = withSources(freshStore())) {
      importText(
          store,
          line("police", "t1", ALICE, "traffic.red_light", "2026-03-01", ""),
          Importer.Format.NDJSON);
      // Batches of 3: lines 1-3, 4-6, 7-9.
      String text =
          String.join(
              "\n",
              line("police", "t1", ALICE, "traffic.red_light", "2026-03-02", ""),
              line("police", "t1", ALICE, "traffic.red_light", "2026-03-01", ""),
              line(
                  "police", "t2", ALICE, "traffic.red_light", "2026-03-01", ",\"evidence\":\"e1\""),
              line(
                  "police", "t2", ALICE, "traffic.red_light", "2026-03-01", ",\"evidence\":\"e2\""),
              line("police", "t3", ALICE, "traffic.red_light", "2026-03-01", ""),
              line("police", "t3", BOB, "traffic.red_light", "2026-03-01", ""),
              line(
                  "bank",
                  "a1",
                  ALICE,
                  "bank.arrears",
                  "2026-01-31",
                  ",\"attributes\":{\"cycles\":3}"),
              line(
                  "bank",
                  "a1",
                  ALICE,
                  "bank.arrears",
                  "2026-01-31",
                  ",\"attributes\":{\"cycles\":3.0}"),
              line(
                  "bank",
                  "a1",
                  ALICE,
                  "bank.arrears",
                  "2026-01-31",
                  ",\"attributes\":{\"cycles\":4}"));
      Outcome out = importText(store, text, Importer.Format.NDJSON);
      assertThat(out.rejects()).extracting(Reject::line).containsExactly(1L, 4L, 6L, 9L);
      assertThat(out.rejects().get(0).reason())
          .isEqualTo(
              "conflict: record police/t1 is already stored with different content (occurred"
                  + " 2026-03-01T00:00:00Z, not 2026-03-02T00:00:00Z); send a correction with"
                  + " \"supersedes\" instead");
      assertThat(out.rejects().get(1).reason())
          .startsWith("conflict: record police/t2 is already stored with different content")
          .contains("evidence \"e1\", not \"e2\"");
      assertThat(out.rejects().get(2).reason())
          .startsWith("conflict: record police/t3 ")
          .contains("a different subject");
      assertThat(out.rejects().get(3).reason())
          .startsWith("conflict: record bank/a1 ")
          .contains("attribute cycles 3, not 4");
      assertThat(out.rejects()).allMatch(Reject::conflict);
      assertThat(out.summary()).isEqualTo(new ImportSummary(9, 3, 2, 0, 0, 0, 4));
      assertThat(out.summary().clean()).isFalse();
      assertThat(store.records(ALICE))
          .filteredOn(r -> r.id().equals("t1"))
          .extracting(Record::occurred)
          .containsExactly(Instant.parse("2026-03-01T00:00:00Z"));
      assertThat(store.records(BOB)).isEmpty();
    }
  }

  @Test
  void anImportReturnsOnlyOnceEveryCommittedBatchIsToldInOrderAndFailsWithTheTeller()
      throws Exception {
    try (Store store = withSources(freshStore())) {
      // A slow index: the import must still wait for it (scores are current when run returns).
      List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
      Importer slow =
          tellingTo(
              store,
              (records, rows, targets) -> {
                RecordSubjectIndexTest.sleepQuietly(20);
                records.forEach(r -> told.add(r.id()));
              });
      ImportSummary summary =
          slow.run(new StringReader(redLights("t", 20)), Importer.Format.NDJSON, r -> {}, n -> {});
      assertThat(summary.accepted()).isEqualTo(20);
      assertThat(told)
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 20).mapToObj(i -> "t" + i).toList());

      // An index that fails: the import fails with its error, and stops storing soon after.
      Importer failing =
          tellingTo(
              store,
              (records, rows, targets) -> {
                throw new IllegalStateException("the index is broken");
              });
      assertThatThrownBy(
              () ->
                  failing.run(
                      new StringReader(redLights("u", 30)),
                      Importer.Format.NDJSON,
                      r -> {},
                      n -> {}))
          .hasMessage("the index is broken");
      assertThat(store.recordCount()).isBetween(23L, 49L);
    }
  }

  /** An importer of batches of 3 under Rongcheng that tells {@code accepted} of each. */
  static Importer tellingTo(Store store, Importer.Accepted accepted) throws Exception {
    return new Importer(
        store,
        List.of(rongcheng()),
        CLOCK,
        new Importer.Options(Optional.empty(), false, 3),
        accepted);
  }

  /** {@code n} lines of Alice's red lights from the police, ids {@code prefix0} on. */
  static String redLights(String prefix, int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append(line("police", prefix + i, ALICE, "traffic.red_light", "2026-03-01", ""))
          .append('\n');
    }
    return text.toString();
  }

  @Test
  void importsCsvWithAttributeColumns() throws Exception {
    try (Store store = withSources(freshStore())) {
      String csv =
          "source,id,subject,type,occurred,cycles,evidence\n"
              + "bank,c1,"
              + ALICE
              + ",bank.arrears,2026-02-28,2,statement 2\n"
              + "bank,c2,"
              + ALICE
              + ",bank.arrears,2026-03-31,,\n"
              + "bank,c3,"
              + ALICE
              + ",bank.arrears,not a date,1,\n";
      Outcome out = importText(store, csv, Importer.Format.CSV);
      assertThat(out.summary().accepted()).isEqualTo(1);
      assertThat(out.rejects()).extracting(Reject::line).containsExactly(3L, 4L);
      assertThat(store.records(ALICE).get(0).attributes()).containsEntry("cycles", 2.0);
      assertThat(store.records(ALICE).get(0).evidence()).contains("statement 2");
    }
  }

  @Test
  void refusesInputsThatAreNotRecordsAtAll() {
    try (Store store = withSources(freshStore())) {
      assertThatThrownBy(() -> importText(store, "", Importer.Format.NDJSON))
          .isInstanceOf(ImportException.class)
          .hasMessage("the input holds no records");
      assertThatThrownBy(() -> importText(store, "id,subject\n1,2\n", Importer.Format.NDJSON))
          .hasMessageContaining("not NDJSON: line 1");
      assertThatThrownBy(() -> importText(store, "a,b\n1,2\n", Importer.Format.CSV))
          .hasMessageContaining("the header has no 'id' column");
      assertThat(store.recordCount()).isZero();
    }
  }

  @Test
  void reportsMalformedCsvRowsAtTheirOwnLine() throws Exception {
    try (Store store = withSources(freshStore())) {
      String csv =
          "source,id,subject,type,occurred,cycles\n"
              + "bank,c1,"
              + ALICE
              + ",bank.arrears,2026-02-28,2\n"
              + "bank,c2,"
              + ALICE
              + ",bank.arrears\n"
              + "bank,c3,"
              + ALICE
              + ",bank.arrears,2026-03-31,1,extra\n"
              + "bank,c4,"
              + ALICE
              + ",bank.arrears,2026-04-30,1\n"
              + "\"bank,c5,"
              + ALICE
              + ",bank.arrears,2026-05-31,3\n";
      Outcome out = importText(store, csv, Importer.Format.CSV);
      assertThat(out.summary().accepted()).isEqualTo(2);
      assertThat(out.rejects()).extracting(Reject::line).containsExactly(3L, 4L, 6L);
      assertThat(out.rejects())
          .extracting(Reject::reason)
          .allMatch(r -> r.startsWith("malformed CSV"));
    }
  }

  static Outcome importBytes(Store store, byte[] bytes, Importer.Format format) throws Exception {
    List<Reject> rejects = new ArrayList<>();
    Importer importer =
        new Importer(
            store, List.of(rongcheng()), CLOCK, new Importer.Options(Optional.empty(), false, 3));
    ImportSummary summary =
        importer.run(new java.io.ByteArrayInputStream(bytes), format, rejects::add, n -> {});
    return new Outcome(summary, rejects);
  }

  static final String CYCLES = ",\"attributes\":{\"cycles\":2}";

  @Test
  void everyLineIsAccountedForWhateverItsBytes() throws Exception {
    try (Store store = withSources(freshStore())) {
      java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
      in.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}); // a byte-order mark
      in.write(
          (line("bank", "u1", ALICE, "bank.arrears", "2026-02-01", CYCLES) + "\n")
              .getBytes(StandardCharsets.UTF_8));
      in.write("{\"id\":\"u2\",\"bad\":\"".getBytes(StandardCharsets.UTF_8));
      in.write(new byte[] {(byte) 0xc3, (byte) 0x28}); // not UTF-8
      in.write("\"}\n".getBytes(StandardCharsets.UTF_8));
      in.write(
          (line("bank", "u3", ALICE, "bank.arrears", "2026-02-03", CYCLES)
                  + " "
                  + line("bank", "u4", ALICE, "bank.arrears", "2026-02-04", CYCLES)
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
      in.write(
          (line("bank", "u5", ALICE, "bank.arrears", "2026-02-05", CYCLES) + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
      Outcome out = importBytes(store, in.toByteArray(), Importer.Format.NDJSON);
      ImportSummary s = out.summary();
      assertThat(s.lines()).isEqualTo(4);
      assertThat(s.accepted() + s.duplicate() + s.conflicts() + s.rejected()).isEqualTo(4);
      assertThat(s.accepted()).isEqualTo(2);
      assertThat(out.rejects()).extracting(Reject::line).containsExactly(2L, 3L);
      assertThat(out.rejects().get(0).reason()).contains("not UTF-8");
      assertThat(out.rejects().get(1).reason()).contains("more data after the JSON value");
      assertThat(store.records(ALICE)).extracting(Record::id).containsExactly("u1", "u5");
    }
  }

  @Test
  void anUnclosedCsvQuoteCostsItsOwnLineOnly() throws Exception {
    try (Store store = withSources(freshStore())) {
      String csv =
          "\uFEFFsource,id,subject,type,occurred,cycles\n"
              + "bank,q1,"
              + ALICE
              + ",bank.arrears,2026-02-01,1\n"
              + "bank,q2,"
              + ALICE
              + ",bank.arrears,2026-02-02,\"1\n"
              + "bank,q3,"
              + ALICE
              + ",bank.arrears,2026-02-03,1\n"
              + "bank,q4,"
              + ALICE
              + ",bank.arrears,2026-02-04,\"a, \"\"quoted\"\" one\"\n"
              + "bank,q5,"
              + ALICE
              + ",bank.arrears,2026-02-05,1\n"
              + "bank,q6,"
              + ALICE
              + ",bank.arrears,2026-02-06,1\n";
      Outcome out = importBytes(store, csv.getBytes(StandardCharsets.UTF_8), Importer.Format.CSV);
      ImportSummary s = out.summary();
      assertThat(s.lines()).isEqualTo(6);
      assertThat(s.accepted() + s.duplicate() + s.conflicts() + s.rejected()).isEqualTo(6);
      assertThat(out.rejects()).extracting(Reject::line).contains(3L);
      assertThat(out.rejects().get(0).reason())
          .isEqualTo("malformed CSV: a quoted value is not closed on this line");
      assertThat(store.records(ALICE)).extracting(Record::id).contains("q1", "q3", "q5", "q6");
    }
  }
}
