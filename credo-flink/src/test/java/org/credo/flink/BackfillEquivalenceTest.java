package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ScoresWire;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;

/**
 * The backfill gives, for every subject and policy, exactly the JSON the embedded core gives
 * ({@code credo score --policy P --records F --as-of T --json}): a seeded population with
 * corrections, retractions, expired records and list entries, run on a local MiniCluster in BATCH
 * mode at parallelism 2; lines outside the catalogue or malformed go to the rejects.
 */
class BackfillEquivalenceTest {
  static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");
  static final String[] TYPES = {
    "traffic.red_light",
    "traffic.speeding",
    "traffic.drunk_driving",
    "bank.arrears",
    "court.judgment_defaulter",
    "utility.bill_paid_on_time",
    "utility.fee_delayed",
    "civic.national_award",
    "volunteer.service_hours",
    "account.opened",
    "account.paid_as_agreed",
    "account.late_30",
    "credit.hard_inquiry",
    "loan.repaid_on_time",
    "identity.verified",
    "contract.fulfilled"
  };

  @Test
  void theBackfillScoresEverySubjectAsTheEmbeddedCoreDoes() throws Exception {
    int subjects = 10_000;
    Random rng = new Random(20);
    List<String> lines = new ArrayList<>();
    int expectedRejects = 0;
    for (int s = 0; s < subjects; s++) {
      String subject = "person:P-" + s;
      int n = 1 + rng.nextInt(12);
      for (int k = 0; k < n; k++) {
        String type = TYPES[rng.nextInt(TYPES.length)];
        // Some after the instant scored: kept, and left out by the scorer.
        LocalDate day = LocalDate.of(2021, 1, 1).plusDays(rng.nextInt(2_250));
        StringBuilder b =
            new StringBuilder("{\"source\":\"src\",\"id\":\"r")
                .append(s)
                .append('-')
                .append(k)
                .append("\",\"subject\":\"")
                .append(subject)
                .append("\",\"type\":\"")
                .append(type)
                .append("\",\"occurred\":\"")
                .append(day)
                .append('"');
        switch (type) {
          case "bank.arrears" ->
              b.append(",\"attributes\":{\"cycles\":").append(1 + rng.nextInt(6)).append('}');
          case "court.judgment_defaulter" ->
              b.append(",\"attributes\":{\"amount\":")
                  .append(1000 * (1 + rng.nextInt(90)))
                  .append('}');
          case "volunteer.service_hours" ->
              b.append(",\"attributes\":{\"hours\":").append(1 + rng.nextInt(40)).append('}');
          default -> {}
        }
        if (k > 0 && rng.nextInt(10) == 0) {
          b.append(rng.nextBoolean() ? ",\"retracts\":\"src/r" : ",\"supersedes\":\"src/r")
              .append(s)
              .append('-')
              .append(rng.nextInt(k))
              .append('"');
        }
        lines.add(b.append('}').toString());
      }
      if (s % 1000 == 0) {
        lines.add(
            "{\"source\":\"src\",\"id\":\"x"
                + s
                + "\",\"subject\":\""
                + subject
                + "\",\"type\":\"church.attendance\",\"occurred\":\"2026-01-01\"}");
        lines.add("{\"source\":\"src\",\"id\":");
        expectedRejects += 2;
      }
    }
    ScoringJob.Definitions definitions = definitions();

    // The embedded core, record by record, as credo score does from a file.
    Set<String> expected = new HashSet<>();
    Map<String, List<Record>> bySubject = new LinkedHashMap<>();
    var catalogue = definitions.catalogue();
    for (String line : lines) {
      try {
        Record r = RecordJson.parse(line, Optional.empty(), null, ScoringJob.END_OF_TIME);
        if (catalogue.refusal(r.type(), r.attributes()).isEmpty()) {
          bySubject.computeIfAbsent(r.subject().toString(), x -> new ArrayList<>()).add(r);
        }
      } catch (org.credo.records.RecordFormatException e) {
        // rejected
      }
    }
    for (var e : bySubject.entrySet()) {
      SubjectId id = SubjectId.parse(e.getKey());
      for (Policy p : definitions.policies()) {
        expected.add(
            ApiWire.MAPPER.writeValueAsString(
                ScoresWire.of(Scorer.score(p, id, e.getValue(), AS_OF, AS_OF))));
      }
    }

    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(2);
    ScoringJob.Backfill job = ScoringJob.backfill(env.fromData(lines), definitions, AS_OF);
    Set<String> actual = new HashSet<>();
    List<String> rejects = new ArrayList<>();
    try (CloseableIterator<String> it =
        job.scores().union(job.rejects().map(r -> "REJECT " + r)).executeAndCollect()) {
      it.forEachRemaining(
          line -> {
            if (line.startsWith("REJECT ")) {
              rejects.add(line);
            } else {
              actual.add(line);
            }
          });
    }
    assertThat(actual).hasSize(expected.size()).isEqualTo(expected);
    assertThat(rejects).hasSize(expectedRejects);
    assertThat(rejects)
        .anySatisfy(
            r -> assertThat(r).contains("church.attendance").contains("not in the catalogue"));
  }

  static ScoringJob.Definitions definitions() throws Exception {
    Map<String, String> policies = new LinkedHashMap<>();
    for (String p : List.of("rongcheng-style", "bureau-style", "sesame-style")) {
      policies.put(p + ".yaml", Files.readString(Path.of("..", "policies", p + ".yaml")));
    }
    return new ScoringJob.Definitions(
        Files.readString(Path.of("..", "catalogue", "credo-default.yaml")), policies);
  }
}
