package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.credo.policy.Policy;
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

  @Test
  void theBackfillScoresEverySubjectAsTheEmbeddedCoreDoes() throws Exception {
    Population pop = new Population(10_000, 20);
    List<String> lines = pop.lines;
    int expectedRejects = pop.rejects;
    ScoringJob.Definitions definitions = pop.definitions;

    // The embedded core, as credo score does from a file.
    Set<String> expected = new HashSet<>();
    for (SubjectId id : pop.records.keySet()) {
      for (Policy p : pop.policies) {
        expected.add(pop.expected(id, p, AS_OF));
      }
    }

    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(2);
    ScoringJob.Backfill job = ScoringJob.backfill(env.fromData(lines), definitions, AS_OF);
    // Straight into a queue: Flink's collect sink is slower than the job it collects from.
    StreamingEquivalenceTest.SEEN.clear();
    job.scores()
        .map(line -> org.apache.flink.api.java.tuple.Tuple3.of("score", "", line))
        .returns(StreamingJob.OUT)
        .union(
            job.rejects()
                .map(r -> org.apache.flink.api.java.tuple.Tuple3.of("reject", "", r))
                .returns(StreamingJob.OUT))
        .sinkTo(new StreamingEquivalenceTest.Collect());
    env.execute("backfill equivalence");
    Set<String> actual = new HashSet<>();
    List<String> rejects = new ArrayList<>();
    for (var t : StreamingEquivalenceTest.SEEN) {
      (t.f0.equals("reject") ? rejects : actual).add(t.f2);
    }
    assertThat(actual).hasSize(expected.size()).isEqualTo(expected);
    assertThat(rejects).hasSize(expectedRejects);
    assertThat(rejects)
        .anySatisfy(
            r -> assertThat(r).contains("church.attendance").contains("not in the catalogue"));
  }
}
