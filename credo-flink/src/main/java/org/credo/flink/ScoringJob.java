package org.credo.flink;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ScoresWire;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueReader;
import org.credo.dueprocess.DueProcess;
import org.credo.intake.PolicyIntake;
import org.credo.policy.Policy;
import org.credo.policy.PolicyLoader;
import org.credo.records.Record;
import org.credo.records.RecordFormatException;
import org.credo.records.RecordJson;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;

/**
 * The scoring core as a Flink job (issue 20, first part: the backfill). Sources and sinks are the
 * caller's, so tests and the command line inject theirs: records come in as NDJSON lines in the
 * wire form of SPEC §2; each is validated by the catalogue (rejects go to {@link #REJECTS} with
 * their reason), keyed by subject, kept in keyed state, and scored with {@code credo-core} — the
 * same {@link Scorer} the embedded engine runs — under each policy, as of one instant. Each
 * (subject, policy) gives one line in the JSON form of {@code credo score --json}.
 *
 * <p>Policies and the catalogue travel as their YAML texts and are loaded once per task in {@code
 * open}; no Kryo is involved (strings and tuples of strings only, {@code pipeline.generic-types:
 * false}).
 */
public final class ScoringJob {
  /** Lines refused at intake, each {@code {"line": n?, "reason": "…", "input": "…"}}. */
  public static final OutputTag<String> REJECTS = new OutputTag<>("rejects", Types.STRING);

  /**
   * The "now" records are parsed against: the job never reads the clock, and a history replayed as
   * of T may hold records after T (the scorer leaves them out), so none is "in the future".
   */
  public static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");

  private ScoringJob() {}

  /** What the job scores under: the catalogue's text and each policy's (file name → text). */
  public record Definitions(String catalogueYaml, Map<String, String> policyYamls)
      implements Serializable {
    public Definitions {
      requireNonNull(catalogueYaml, "catalogueYaml is null");
      policyYamls = Map.copyOf(policyYamls);
    }

    Catalogue catalogue() {
      try {
        return CatalogueReader.read("catalogue", catalogueYaml);
      } catch (org.credo.catalogue.CatalogueException e) {
        throw new IllegalArgumentException("the catalogue does not load:\n" + e.getMessage(), e);
      }
    }

    List<Policy> policies() {
      Catalogue c = catalogue();
      List<Policy> out = new ArrayList<>();
      for (Map.Entry<String, String> p : new java.util.TreeMap<>(policyYamls).entrySet()) {
        try {
          Policy policy = PolicyLoader.load(p.getKey(), p.getValue(), c.firewall());
          var problems = c.problems(policy, p.getKey(), p.getValue());
          if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                p.getKey() + " breaks the catalogue: " + problems.get(0));
          }
          out.add(policy);
        } catch (org.credo.policy.PolicyException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      return out;
    }
  }

  /**
   * The backfill's dataflow over {@code lines}: validated records keyed by subject, scored at
   * {@code asOf} (as known then) once the input is complete. Run it in BATCH execution mode.
   *
   * @return one JSON line per (subject, policy that scores its kind), and the rejects
   */
  public static Backfill backfill(DataStream<String> lines, Definitions definitions, Instant asOf) {
    SingleOutputStreamOperator<Tuple2<String, byte[]>> valid =
        lines
            .process(new Validate(definitions))
            .returns(
                Types.TUPLE(
                    Types.STRING,
                    org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo
                        .BYTE_PRIMITIVE_ARRAY_TYPE_INFO))
            .uid("credo-validate")
            .name("validate records");
    SingleOutputStreamOperator<String> scores =
        valid
            .keyBy(t -> t.f0, Types.STRING)
            .process(new ScoreAtEnd(definitions, asOf))
            .returns(Types.STRING)
            .uid("credo-score")
            .name("score subjects");
    return new Backfill(scores, valid.getSideOutput(REJECTS));
  }

  /** A backfill's two outputs: the score lines, and the rejected input lines with reasons. */
  public record Backfill(DataStream<String> scores, DataStream<String> rejects) {}

  /**
   * Parses a line and checks it against the catalogue, as {@code credo import} does: a record
   * outside it, or malformed, goes to {@link #REJECTS} with its reason.
   */
  static final class Validate extends ProcessFunction<String, Tuple2<String, byte[]>> {
    private final Definitions definitions;
    private transient Catalogue catalogue;
    private transient List<Policy> policies;

    Validate(Definitions definitions) {
      this.definitions = definitions;
    }

    @Override
    public void open(OpenContext context) {
      catalogue = definitions.catalogue();
      policies = definitions.policies();
    }

    @Override
    public void processElement(String line, Context ctx, Collector<Tuple2<String, byte[]>> out) {
      if (line.isBlank() || line.startsWith("#")) {
        return;
      }
      try {
        Record r = RecordJson.parse(line, Optional.empty(), null, END_OF_TIME);
        Optional<String> refusal = PolicyIntake.refusal(catalogue, policies, r);
        if (refusal.isPresent()) {
          ctx.output(REJECTS, reject(line, refusal.get()));
          return;
        }
        // Parsed once: the record travels and is kept as bytes.
        out.collect(Tuple2.of(r.subject().toString(), RecordCodec.encode(r)));
      } catch (RecordFormatException e) {
        ctx.output(REJECTS, reject(line, e.getMessage()));
      }
    }

    private static String reject(String line, String reason) {
      var node = ApiWire.MAPPER.createObjectNode();
      node.put("reason", reason);
      node.put("input", line.length() > 2_000 ? line.substring(0, 2_000) : line);
      return node.toString();
    }
  }

  /**
   * Keeps a subject's records in keyed state and scores them when the input ends (in BATCH mode
   * every event-time timer fires then): the same {@link Scorer#score} call as {@code credo score
   * --policy P --records F --as-of T --known-at T}.
   */
  static final class ScoreAtEnd
      extends KeyedProcessFunction<String, Tuple2<String, byte[]>, String> {
    private final Definitions definitions;
    private final long asOfMillis;
    private transient List<Policy> policies;
    private transient ListState<byte[]> records;

    ScoreAtEnd(Definitions definitions, Instant asOf) {
      this.definitions = definitions;
      this.asOfMillis = asOf.toEpochMilli();
    }

    @Override
    public void open(OpenContext context) {
      policies = definitions.policies();
      records =
          getRuntimeContext()
              .getListState(
                  new ListStateDescriptor<>(
                      "records",
                      org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo
                          .BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(Tuple2<String, byte[]> record, Context ctx, Collector<String> out)
        throws Exception {
      records.add(record.f1);
      ctx.timerService().registerEventTimeTimer(asOfMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
        throws Exception {
      SubjectId subject = SubjectId.parse(ctx.getCurrentKey());
      Instant asOf = Instant.ofEpochMilli(asOfMillis);
      List<Record> held = new ArrayList<>();
      java.util.Set<String> keys = new java.util.HashSet<>();
      for (byte[] bytes : records.get()) {
        Record r = RecordCodec.decode(bytes, subject);
        if (keys.add(r.key())) {
          held.add(r);
        }
      }
      for (Policy policy : policies) {
        if (policy.subjects().contains(subject.kind())) {
          out.collect(
              ApiWire.MAPPER.writeValueAsString(
                  ScoresWire.of(DueProcess.score(policy, subject, held, asOf, asOf))));
        }
      }
      records.clear();
    }
  }
}
