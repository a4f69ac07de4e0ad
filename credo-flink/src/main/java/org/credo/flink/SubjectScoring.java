package org.credo.flink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.DecisionWire;
import org.credo.app.wire.ListEntryWire;
import org.credo.app.wire.ScoresWire;
import org.credo.catalogue.Catalogue;
import org.credo.decisions.Decider;
import org.credo.dueprocess.DueProcess;
import org.credo.intake.PolicyIntake;
import org.credo.notify.Notice;
import org.credo.notify.RecordNotices;
import org.credo.policy.Policy;
import org.credo.policy.Purpose;
import org.credo.records.Record;
import org.credo.scoring.ChangePoints;
import org.credo.scoring.Contribution;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;

/**
 * One subject's part of the streaming job, keyed by the subject's pseudonym. Records wait in keyed
 * state until the watermark passes the instant Credo learned them; then — and at every instant the
 * score can change without a new record ({@link ChangePoints}: an expiry, a notice period ending, a
 * list entry ending, a record leaving a window; for policies that read a record's age, every {@link
 * Settings#cadenceMillis}) — an event-time timer checks the waiting records against the catalogue
 * active when they were learned, and scores the subject with {@code credo-core} under each policy
 * version active at that instant. The clock is never read: the same records and versions give the
 * same outputs at any parallelism, after any failure.
 *
 * <p>Outputs are {@code (topic, key, JSON)}: a score on {@link #SCORES} when it changed (its JSON
 * apart from the instant), a policy's list entries on {@link #LISTS} when they changed, each
 * purpose's decision inputs on {@link #DECISIONS} when they changed, a notice on {@link #NOTICES}
 * for a record the subject must be told about, and rejects on {@link #REJECTS} with their reason
 * and origin. A subject whose records have all stopped counting is forgotten after {@link
 * Settings#graceMillis} (retention, as {@code credo purge} does).
 */
final class SubjectScoring
    extends KeyedBroadcastProcessFunction<
        String, Tuple3<String, Long, byte[]>, String, Tuple3<String, String, String>> {
  static final String SCORES = "credo.scores";
  static final String LISTS = "credo.lists";
  static final String NOTICES = "credo.notices";
  static final String DECISIONS = "credo.decisions";
  static final String REJECTS = "credo.rejects";

  /** Not a topic: a record now held for the subject, for the serving store (reports). */
  static final String HELD = "serving.held";

  /** Not a topic: the subject was forgotten (retention), for the serving store. */
  static final String FORGOTTEN = "serving.forgotten";

  static final MapStateDescriptor<String, String> VERSIONS =
      new MapStateDescriptor<>("credo-versions", Types.STRING, Types.STRING);

  /**
   * How the job runs.
   *
   * @param cadenceMillis how often policies that read a record's age rescore (0: only on changes)
   * @param untilMillis no timer is set after this instant (a bounded run's end; {@link
   *     Long#MAX_VALUE} when streaming)
   * @param graceMillis how long a subject whose records all stopped counting is kept
   */
  record Settings(long cadenceMillis, long untilMillis, long graceMillis) implements Serializable {
    static final Settings STREAMING = new Settings(86_400_000L, Long.MAX_VALUE, 365 * 86_400_000L);
  }

  private final Settings settings;
  private transient Versions versions;
  private transient ListState<byte[]> pending;
  private transient ListState<byte[]> records;
  private transient MapState<String, Long> emitted;
  private transient ValueState<Long> deadSince;

  SubjectScoring(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    var bytes = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", bytes));
    records = getRuntimeContext().getListState(new ListStateDescriptor<>("records", bytes));
    emitted =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("emitted", Types.STRING, Types.LONG));
    deadSince = getRuntimeContext().getState(new ValueStateDescriptor<>("dead-since", Types.LONG));
  }

  @Override
  public void processElement(
      Tuple3<String, Long, byte[]> in,
      ReadOnlyContext ctx,
      Collector<Tuple3<String, String, String>> out)
      throws Exception {
    pending.add(in.f2);
    // Checked and scored once the watermark passes the instant it was learned (a late record: at
    // the next watermark), so arrival order never matters.
    long at = Math.max(in.f1, ctx.timerService().currentWatermark() + 1);
    ctx.timerService().registerEventTimeTimer(at);
  }

  @Override
  public void processBroadcastElement(
      String json, Context ctx, Collector<Tuple3<String, String, String>> out) throws Exception {
    var state = ctx.getBroadcastState(VERSIONS);
    Versions v = versions(state.immutableEntries());
    Versions.Message m;
    try {
      m = Versions.Message.parse(json);
    } catch (IllegalArgumentException e) {
      rejectOnce(out, e.getMessage(), json);
      return;
    }
    String key = m.key();
    if (v.knows(key)) {
      return;
    }
    Optional<String> refused = v.add(key, m);
    if (refused.isPresent()) {
      rejectOnce(out, refused.get() + "; the active versions stay", json);
      return;
    }
    state.put(key, json);
  }

  /** A control message is seen by every subtask: one of them reports it. */
  private void rejectOnce(
      Collector<Tuple3<String, String, String>> out, String reason, String json) {
    if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
      out.collect(
          Tuple3.of(
              REJECTS,
              "credo.policies",
              Intake.reject(
                  reason, json.length() > 500 ? json.substring(0, 500) : json, "credo.policies")));
    }
  }

  private Versions versions(Iterable<Map.Entry<String, String>> entries) {
    int n = 0;
    for (var e : entries) {
      n++;
    }
    if (versions == null || versions.size() != n) {
      versions = Versions.of(entries);
    }
    return versions;
  }

  @Override
  public void onTimer(long t, OnTimerContext ctx, Collector<Tuple3<String, String, String>> out)
      throws Exception {
    ReadOnlyBroadcastState<String, String> state = ctx.getBroadcastState(VERSIONS);
    Versions v = versions(state.immutableEntries());
    String key = ctx.getCurrentKey();
    List<Record> held = new ArrayList<>();
    Map<String, Record> byKey = new HashMap<>();
    SubjectId subject = null;
    for (byte[] b : records.get()) {
      if (subject == null) {
        subject = RecordCodec.subject(b);
      }
      Record r = RecordCodec.decode(b, subject);
      held.add(r);
      byKey.put(r.key(), r);
    }

    // Records learned by now are checked as credo import checks them, against the catalogue then.
    List<Record> arrived = new ArrayList<>();
    List<byte[]> waiting = new ArrayList<>();
    boolean changed = false;
    for (byte[] p : pending.get()) {
      byte[] bytes = RecordCodec.record(p);
      SubjectId about =
          subject != null && RecordCodec.isAbout(bytes, subject)
              ? subject
              : RecordCodec.subject(bytes);
      Record r = RecordCodec.decode(bytes, about);
      long learned = ChangePoints.ceilMillis(r.learned());
      if (learned > t) {
        waiting.add(p);
        continue;
      }
      changed = true;
      String origin = RecordCodec.origin(p);
      Optional<String> refusal =
          refusal(v.catalogueAt(learned), v.policiesAt(learned), r, subject, byKey);
      if (refusal.isPresent()) {
        out.collect(Tuple3.of(REJECTS, key, Intake.reject(refusal.get(), recordLine(r), origin)));
        continue;
      }
      if (subject == null) {
        subject = about;
      }
      if (!byKey.containsKey(r.key())) {
        held.add(r);
        byKey.put(r.key(), r);
        arrived.add(r);
        records.add(bytes);
        // The serving store keeps what the subject's report shows: the record without the
        // subject's identifier (the key stands for it) and without free-text evidence.
        ObjectNode served = org.credo.records.RecordJson.toNode(r);
        served.remove(List.of("subject", "evidence"));
        out.collect(Tuple3.of(HELD, key, served.toString()));
      }
    }
    if (changed) {
      pending.update(waiting);
    }
    if (held.isEmpty()) {
      if (waiting.isEmpty()) {
        clear(key, out);
      }
      return;
    }

    Long deadAt = deadSince.value();
    if (!changed && deadAt != null && t - deadAt >= settings.graceMillis()) {
      clear(
          key, out); // nothing has counted since deadAt, and the grace is over: retention ends here
      return;
    }
    List<Policy> policies =
        v.policiesAt(t).stream()
            .filter(p -> p.subjects().contains(heldSubject(held).kind()))
            .toList();
    SubjectId who = heldSubject(held);
    Instant at = Instant.ofEpochMilli(t);
    // The dispute desk's marks are facts about due process, not evidence: kept from the policy.
    DueProcess.Facts facts = DueProcess.facts(held);
    long[] deadlines = DueProcess.changePoints(held);
    boolean alive = !waiting.isEmpty();
    long next = Long.MAX_VALUE;
    // Every policy is scored when the records or the versions changed; otherwise only those that
    // can have changed now: a change point of theirs, or their schedule.
    boolean all = changed || v.nextActivation(t - 1).orElse(Long.MAX_VALUE) == t;
    long cadence = settings.cadenceMillis();
    for (Policy policy : policies) {
      boolean continuous = ChangePoints.continuous(policy) && cadence > 0;
      long[] points = merged(ChangePoints.all(policy, facts.records()), deadlines);
      int after = ChangePoints.after(points, t);
      boolean due = after > 0 && points[after - 1] == t;
      if (all || (continuous && t % cadence == 0) || due) {
        Score score =
            DueProcess.reviewed(
                Scorer.score(policy, who, facts.records(), at, at),
                facts.holds(),
                facts.grants(),
                at);
        emitted.put("a/" + policy.id(), alive(score, held, at) ? 1L : 0L);
        emitScore(key, policy, score, out);
      }
      Long counts = emitted.get("a/" + policy.id());
      alive |= counts == null || counts == 1L;
      if (continuous) {
        next = Math.min(next, (Math.floorDiv(t, cadence) + 1) * cadence);
      }
      if (after < points.length) {
        next = Math.min(next, points[after]);
      }
    }
    for (Record r : arrived) {
      if (DueProcess.isMark(r)) {
        continue; // the dispute desk told the subject itself
      }
      Notice n = RecordNotices.forRecord(policies, r);
      if (n != null) {
        ObjectNode node = ApiWire.MAPPER.createObjectNode();
        node.put("subject", who.toString());
        node.put("kind", n.kind());
        node.put("message", n.message());
        node.set("details", ApiWire.MAPPER.valueToTree(n.details()));
        node.put("at", at.toString());
        out.collect(Tuple3.of(NOTICES, key, node.toString()));
      }
    }
    next = Math.min(next, v.nextActivation(t).orElse(Long.MAX_VALUE));

    if (!alive) {
      Long since = deadSince.value();
      if (since == null) {
        deadSince.update(t);
        since = t;
      }
      if (t - since >= settings.graceMillis()) {
        clear(key, out);
        return;
      }
      next = Math.min(next, saturatedAdd(since, settings.graceMillis()));
    } else if (deadSince.value() != null) {
      deadSince.clear();
    }
    if (next != Long.MAX_VALUE && next <= settings.untilMillis()) {
      ctx.timerService().registerEventTimeTimer(next);
    }
  }

  /** Two sorted arrays of instants as one. */
  private static long[] merged(long[] a, long[] b) {
    if (b.length == 0) {
      return a;
    }
    long[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    java.util.Arrays.sort(all);
    return all;
  }

  private static SubjectId heldSubject(List<Record> held) {
    return held.get(0).subject();
  }

  /** Why a record is refused at intake, if it is. */
  private static Optional<String> refusal(
      Optional<Catalogue> catalogue,
      List<Policy> policies,
      Record r,
      SubjectId subject,
      Map<String, Record> held) {
    if (catalogue.isEmpty()) {
      return Optional.of(
          "no catalogue is active at "
              + r.learned()
              + ": publish one on credo.policies before the records it admits");
    }
    if (subject != null && !subject.equals(r.subject())) {
      return Optional.of(
          "the key stands for another subject than "
              + r.subject().masked()
              + ": key records by the subject's pseudonym");
    }
    Optional<String> refused = PolicyIntake.refusal(catalogue.get(), policies, r);
    if (refused.isPresent()) {
      return refused;
    }
    Record same = held.get(r.key());
    if (same != null && !same.equals(r)) {
      return Optional.of(
          "record "
              + r.key()
              + " is already held with other content: send a correction that supersedes it");
    }
    return Optional.empty();
  }

  private static String recordLine(Record r) {
    return r.key() + " " + r.type() + " occurred " + r.occurred();
  }

  /** Whether anything about the subject still counts or can: else it may be forgotten. */
  private static boolean alive(Score score, List<Record> held, Instant at) {
    // A list entry that follows the score (no record behind it) is everyone's who scores so.
    if (score.lists().stream().anyMatch(e -> e.recordKey().isPresent())) {
      return true;
    }
    for (Contribution c : score.contributions()) {
      if (c.status().counts()) {
        return true;
      }
    }
    for (Record r : held) {
      if (r.occurred().isAfter(at)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends the score if it changed; then its list entries and each purpose's decision inputs, which
   * follow from the score alone, if they changed.
   */
  private void emitScore(
      String key, Policy policy, Score score, Collector<Tuple3<String, String, String>> out)
      throws Exception {
    String stamp = score.asOf().toString();
    ScoresWire wire = ScoresWire.of(score);
    String json = ApiWire.MAPPER.writeValueAsString(wire);
    if (!changed("s/" + policy.id(), withoutStamp(json, stamp, null))) {
      return;
    }
    out.collect(Tuple3.of(SCORES, key, json));
    ObjectNode lists = ApiWire.MAPPER.createObjectNode();
    lists.put("subject", score.subject().toString());
    lists.put("policy", policy.id());
    lists.put("policyVersion", policy.version());
    lists.put("asOf", stamp);
    List<ListEntryWire> entries = wire.scores().get(0).lists();
    lists.set("lists", ApiWire.MAPPER.valueToTree(entries));
    String listJson = lists.toString();
    if (changed("l/" + policy.id(), withoutStamp(listJson, stamp, null))) {
      out.collect(Tuple3.of(LISTS, key, listJson));
    }
    for (Purpose purpose : new java.util.TreeSet<>(policy.purposes().keySet())) {
      var decision = Decider.decide(policy, score, purpose);
      // What the decision says apart from its dates, compared before any JSON is written.
      String inputs =
          decision.outcome()
              + decision.policy()
              + decision.reasonCodes()
              + decision.disclosed()
              + decision.validUntil().equals(decision.decidedAt());
      if (changed("d/" + policy.id() + "/" + purpose.name(), inputs)) {
        out.collect(
            Tuple3.of(
                DECISIONS,
                key,
                ApiWire.MAPPER.writeValueAsString(
                    DecisionWire.of(
                        decision, Optional.empty(), Optional.empty(), policy.scale(), 0))));
      }
    }
  }

  /** True when {@code unstamped} differs from what was last sent for {@code what}. */
  private boolean changed(String what, String unstamped) throws Exception {
    long hash = fnv64(unstamped);
    Long last = emitted.get(what);
    if (last != null && last == hash) {
      return false;
    }
    emitted.put(what, hash);
    return true;
  }

  /**
   * {@code json} without the instant it was made at, by text (the fields that carry it, and a list
   * entry that follows the score, whose dates are that instant): cheaply enough for every
   * rescoring.
   */
  static String withoutStamp(String json, String stamp, String validUntil) {
    String s =
        json.replace("\"asOf\":\"" + stamp + '"', "\"asOf\":\"\"")
            .replace("\"knownAt\":\"" + stamp + '"', "\"knownAt\":\"\"")
            .replace("\"decidedAt\":\"" + stamp + '"', "\"decidedAt\":\"\"")
            .replace(
                "\"noticeFrom\":\"" + stamp + "\",\"effectiveFrom\":\"" + stamp + '"',
                "\"noticeFrom\":\"\",\"effectiveFrom\":\"\"");
    return validUntil == null
        ? s
        : s.replace("\"validUntil\":\"" + validUntil + '"', "\"validUntil\":\"\"");
  }

  private void clear(String key, Collector<Tuple3<String, String, String>> out) throws Exception {
    if (records.get().iterator().hasNext()) {
      out.collect(Tuple3.of(FORGOTTEN, key, ""));
    }
    pending.clear();
    records.clear();
    emitted.clear();
    deadSince.clear();
  }

  private static long saturatedAdd(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }

  static long fnv64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
