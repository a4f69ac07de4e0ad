package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The subject operator alone, in Flink's operator test harness: records in, watermarks advanced by
 * hand, outputs compared with the embedded core; state and timers cleared once a subject's records
 * have all stopped counting; bad records and bad definitions refused with their reasons.
 */
class SubjectScoringHarnessTest {
  static final Instant END = Instant.parse("2026-11-22T00:00:00Z");

  static KeyedBroadcastOperatorTestHarness<
          String, Tuple3<String, Long, byte[]>, String, Tuple3<String, String, String>>
      harness(SubjectScoring.Settings settings) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new SubjectScoring(settings), List.of(SubjectScoring.VERSIONS)),
            (Tuple3<String, Long, byte[]> t) -> t.f0,
            Types.STRING,
            StreamingJob.MAX_PARALLELISM,
            1,
            0);
    h.open();
    return h;
  }

  /** How many keyed state entries the operator holds (the heap backend counts them). */
  static int stateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
    var operator =
        (org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator();
    return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>)
            operator.getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  @SuppressWarnings("unchecked")
  static List<Tuple3<String, String, String>> drain(
      KeyedBroadcastOperatorTestHarness<?, ?, ?, Tuple3<String, String, String>> h) {
    List<Tuple3<String, String, String>> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((Tuple3<String, String, String>) r.getValue());
      }
    }
    h.getOutput().clear();
    return out;
  }

  @Test
  void theOperatorScoresAsTheEmbeddedCoreAtEveryInstant() throws Exception {
    Population pop = new Population(10_000, 20);
    var h = harness(Runs.SETTINGS);
    for (String c : pop.control()) {
      h.processBroadcastElement(c, Population.START.toEpochMilli());
    }
    List<Tuple3<String, String, String>> out = new ArrayList<>();
    List<Tuple3<String, Long, byte[]>> intake = pop.intake();
    int rejects = 0;
    for (var t : intake) {
      if (t.f0.equals(Intake.REJECT)) {
        rejects++;
      } else {
        h.processElement(t, t.f1);
      }
    }
    // The watermark in steps, as a stream would move it.
    for (long w = Population.START.toEpochMilli();
        w < Runs.UNTIL.toEpochMilli();
        w += 30L * 86_400_000L) {
      h.watermark(w);
      out.addAll(drain(h));
    }
    h.watermark(Long.MAX_VALUE);
    out.addAll(drain(h));
    long compared = pop.check(out, Runs.INSTANTS);
    assertThat(compared).isGreaterThan(100_000);
    long refused = out.stream().filter(t -> t.f0.equals(SubjectScoring.REJECTS)).count();
    // malformed lines are refused where they are read; the type outside the catalogue here
    assertThat(rejects).isEqualTo(pop.rejects / 2);
    assertThat(refused).isEqualTo(pop.rejects / 2);
    assertThat(out)
        .filteredOn(t -> t.f0.equals(SubjectScoring.REJECTS))
        .allSatisfy(
            t -> assertThat(t.f2).contains("church.attendance").contains("\"origin\":\"line "));
    assertThat(out).anySatisfy(t -> assertThat(t.f0).isEqualTo(SubjectScoring.NOTICES));
    assertThat(out)
        .filteredOn(t -> t.f0.equals(SubjectScoring.LISTS))
        .anySatisfy(t -> assertThat(t.f2).contains("judgment-defaulters"));
    // The dispute desk's marks hold entries while disputed and a granted repair ends one.
    assertThat(out)
        .filteredOn(t -> t.f0.equals(SubjectScoring.LISTS))
        .anySatisfy(t -> assertThat(t.f2).contains("held while disputed"))
        .anySatisfy(t -> assertThat(t.f2).contains("ended by repair rp"));
    assertThat(out).anySatisfy(t -> assertThat(t.f0).isEqualTo(SubjectScoring.DECISIONS));
    h.close();
  }

  @Test
  void aSubjectWhoseRecordsHaveAllStoppedCountingIsForgottenStateAndTimers() throws Exception {
    Population pop = new Population(0, 1);
    var h = harness(new SubjectScoring.Settings(0, Long.MAX_VALUE, 86_400_000L));
    for (String c : pop.control()) {
      h.processBroadcastElement(c, Population.START.toEpochMilli());
    }
    String line =
        "{\"source\":\"src\",\"id\":\"a1\",\"subject\":\"person:P-1\","
            + "\"type\":\"traffic.red_light\",\"occurred\":\"2021-03-01\"}";
    var t = Intake.parse("key-1", line, "line 1", 0);
    h.processElement(t, t.f1);
    h.watermark(Instant.parse("2021-03-02T00:00:00Z").toEpochMilli());
    assertThat(drain(h)).anySatisfy(o -> assertThat(o.f0).isEqualTo(SubjectScoring.SCORES));
    assertThat(stateEntries(h)).isPositive();
    assertThat(h.numEventTimeTimers()).isPositive();
    // Long after every policy's expiry of a red-light record, and the day of grace.
    h.watermark(Instant.parse("2040-01-01T00:00:00Z").toEpochMilli());
    List<Tuple3<String, String, String>> last = drain(h);
    assertThat(last)
        .filteredOn(o -> o.f0.equals(SubjectScoring.SCORES))
        .allSatisfy(o -> assertThat(o.f2).contains("\"status\":\"expired\""));
    assertThat(last).anySatisfy(o -> assertThat(o.f0).isEqualTo(SubjectScoring.FORGOTTEN));
    assertThat(stateEntries(h)).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    h.close();
  }

  @Test
  void aRecordNoActivePolicyKnowsAndMarksOfTheWrongShapeAreRefusedWithTheirReasons()
      throws Exception {
    Population pop = new Population(0, 1);
    var h = harness(new SubjectScoring.Settings(0, Long.MAX_VALUE, Long.MAX_VALUE));
    for (String c : pop.control()) {
      h.processBroadcastElement(c, Population.START.toEpochMilli());
    }
    String[] lines = {
      // catalogued, but no policy version active then knows it
      "{\"source\":\"src\",\"id\":\"t1\",\"subject\":\"person:P-1\","
          + "\"type\":\"teacher.misconduct_finding\",\"occurred\":\"2021-03-01\"}",
      // a provider posing as the dispute desk
      "{\"source\":\"credo\",\"id\":\"t2\",\"subject\":\"person:P-1\","
          + "\"type\":\"traffic.red_light\",\"occurred\":\"2021-03-01\"}",
      // a dispute's mark without its deadline
      "{\"source\":\"credo\",\"id\":\"dispute:d1:opened\",\"subject\":\"person:P-1\","
          + "\"type\":\"credo.dispute_opened\",\"occurred\":\"2021-03-01\","
          + "\"attributes\":{\"record\":\"src/a1\"}}"
    };
    for (int i = 0; i < lines.length; i++) {
      var t = Intake.parse("key-1", lines[i], "line " + (i + 1), 0);
      h.processElement(t, t.f1);
    }
    h.watermark(Instant.parse("2021-03-02T00:00:00Z").toEpochMilli());
    List<Tuple3<String, String, String>> out = drain(h);
    assertThat(out)
        .filteredOn(o -> o.f0.equals(SubjectScoring.REJECTS))
        .extracting(o -> o.f2)
        .satisfiesExactlyInAnyOrder(
            r ->
                assertThat(r)
                    .contains("no active policy knows type teacher.misconduct_finding")
                    .contains("line 1"),
            r -> assertThat(r).contains("is Credo's own").contains("line 2"),
            r -> assertThat(r).contains("mark must have").contains("line 3"));
    h.close();
  }

  @Test
  void aDefinitionThatDoesNotLoadIsRefusedAndTheActiveVersionStays() throws Exception {
    Population pop = new Population(0, 1);
    var h = harness(new SubjectScoring.Settings(0, Long.MAX_VALUE, Long.MAX_VALUE));
    for (String c : pop.control()) {
      h.processBroadcastElement(c, Population.START.toEpochMilli());
    }
    String rongcheng = pop.definitions.policyYamls().get("rongcheng-style.yaml");
    String broken =
        rongcheng
            .replaceFirst("(?m)^version: \\d+", "version: 99")
            .replace("traffic.red_light", "church.attendance");
    h.processBroadcastElement(
        new Versions.Message("policy", Instant.parse("2021-01-01T00:00:00Z"), broken).json(), 0);
    h.processBroadcastElement("{\"kind\":\"policy\"", 0);
    List<Tuple3<String, String, String>> out = drain(h);
    assertThat(out).hasSize(2).allSatisfy(o -> assertThat(o.f0).isEqualTo(SubjectScoring.REJECTS));
    assertThat(out.get(1).f2).contains("not JSON");
    assertThat(h.getBroadcastState(SubjectScoring.VERSIONS).entries()).hasSize(4);
    String line =
        "{\"source\":\"src\",\"id\":\"a1\",\"subject\":\"person:P-1\","
            + "\"type\":\"traffic.speeding\",\"occurred\":\"2022-03-01\"}";
    var t = Intake.parse("key-1", line, "line 1", 0);
    h.processElement(t, t.f1);
    h.watermark(Instant.parse("2022-03-02T00:00:00Z").toEpochMilli());
    assertThat(drain(h))
        .filteredOn(o -> o.f0.equals(SubjectScoring.SCORES))
        .noneSatisfy(o -> assertThat(o.f2).contains("\"policyVersion\":99"))
        .isNotEmpty();
  }
}
