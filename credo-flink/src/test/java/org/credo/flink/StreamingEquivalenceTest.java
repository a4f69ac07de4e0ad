package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job on a Flink MiniCluster gives the embedded core's scores, byte for byte, for 10
 * 000 subjects: at parallelism 1; at parallelism 2 with a task failure injected mid-stream and the
 * job restored from its last checkpoint; and stopped with a savepoint mid-stream at parallelism 1,
 * then resumed from it at parallelism 2.
 */
class StreamingEquivalenceTest {
  static Population pop;

  /** What the test sink received, across restarts (a replay after a failure sends lines again). */
  static final ConcurrentLinkedQueue<Tuple3<String, String, String>> SEEN =
      new ConcurrentLinkedQueue<>();

  @TempDir Path dir;

  @BeforeAll
  static void population() throws Exception {
    pop = new Population(10_000, 20);
  }

  /** The job over the population's lines, in the order Credo learned them. */
  static void job(StreamExecutionEnvironment env, RichMapFunction<String, String> meddle)
      throws Exception {
    DataStream<String> lines = env.fromData(pop.linesByLearned()).uid("lines").setParallelism(1);
    if (meddle != null) {
      lines = lines.map(meddle).uid("meddle").setParallelism(1);
    }
    DataStream<Tuple3<String, Long, byte[]>> intake =
        lines
            .map(line -> Intake.parse(null, line, "line", 0L))
            .returns(Intake.TYPE)
            .uid("intake")
            .setParallelism(1)
            .assignTimestampsAndWatermarks(StreamingJob.recordWatermarks(Duration.ZERO))
            .uid("watermarks")
            .setParallelism(1);
    DataStream<String> control =
        env.fromData(pop.control())
            .uid("control")
            .setParallelism(1)
            .assignTimestampsAndWatermarks(StreamingJob.controlWatermarks())
            .uid("control-watermarks")
            .setParallelism(1);
    StreamingJob.outputs(intake, control, Runs.SETTINGS).sinkTo(new Collect()).uid("collect");
  }

  static StreamExecutionEnvironment env(int parallelism, Configuration extra) {
    Configuration conf = StreamingJob.configuration(Duration.ofMillis(200), parallelism);
    conf.addAll(extra);
    return StreamExecutionEnvironment.getExecutionEnvironment(conf);
  }

  void check() throws Exception {
    List<Tuple3<String, String, String>> out = new ArrayList<>(SEEN);
    assertThat(pop.check(out, Runs.INSTANTS)).isGreaterThan(100_000);
  }

  @Test
  void atParallelismTwoThroughATaskFailure() throws Exception {
    SEEN.clear();
    FailOnce.failed.set(false);
    FailOnce.checkpoints.set(0);
    FailOnce.failedAt.set(0);
    FailOnce.recoveredAt.set(0);
    StreamExecutionEnvironment env = env(2, new Configuration());
    job(env, new FailOnce());
    env.execute("equivalence p2 with a failure");
    assertThat(FailOnce.failed).as("a failure was injected after a checkpoint").isTrue();
    // The figure BENCHMARKS.md gives for recovery: failure thrown → first output of the restart.
    System.out.printf(
        "recovery: %.2f s from the injected failure to the restarted job's first output%n",
        (FailOnce.recoveredAt.get() - FailOnce.failedAt.get()) / 1e9);
    check();
  }

  @Test
  void stoppedWithASavepointAndResumedAtAnotherParallelism() throws Exception {
    SEEN.clear();
    StreamExecutionEnvironment first = env(1, new Configuration());
    job(first, new Slow());
    JobClient running = first.executeAsync("equivalence p1, to be stopped");
    // Stop once some subjects have been scored, long before the input ends.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (SEEN.size() < 20_000 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    String savepoint =
        running
            .stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
            .get(60, TimeUnit.SECONDS);
    int before = SEEN.size();
    assertThat(before).isLessThan(400_000);
    Configuration resume = new Configuration();
    resume.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = env(2, resume);
    job(second, null);
    second.execute("equivalence resumed at p2");
    assertThat(SEEN.size()).isGreaterThan(before);
    check();
  }

  /** Sends every output to {@link #SEEN}. */
  static final class Collect implements Sink<Tuple3<String, String, String>> {
    @Override
    public SinkWriter<Tuple3<String, String, String>> createWriter(WriterInitContext context) {
      boolean restarted = context.getTaskInfo().getAttemptNumber() > 0;
      return new SinkWriter<>() {
        @Override
        public void write(Tuple3<String, String, String> t, Context c) {
          if (restarted && FailOnce.recoveredAt.get() == 0) {
            FailOnce.recoveredAt.compareAndSet(0, System.nanoTime());
          }
          SEEN.add(t);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** Fails the task once, mid-stream, after a checkpoint has completed. */
  static final class FailOnce extends RichMapFunction<String, String>
      implements CheckpointListener {
    static final AtomicBoolean failed = new AtomicBoolean();
    static final AtomicLong checkpoints = new AtomicLong();

    /** When the failure was thrown, and when the restarted job's first output arrived. */
    static final AtomicLong failedAt = new AtomicLong();

    static final AtomicLong recoveredAt = new AtomicLong();
    private long seen;

    @Override
    public String map(String line) throws Exception {
      seen++;
      if (seen % 20 == 0) {
        Thread.sleep(1); // slow enough for checkpoints to complete while lines flow
      }
      if (seen > 20_000 && checkpoints.get() > 0 && failed.compareAndSet(false, true)) {
        failedAt.set(System.nanoTime());
        throw new IllegalStateException("injected failure at line " + seen);
      }
      return line;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      checkpoints.incrementAndGet();
    }
  }

  /** Slows the lines so that the job can be stopped in the middle. */
  static final class Slow extends RichMapFunction<String, String> {
    private long seen;

    @Override
    public String map(String line) throws Exception {
      if (++seen % 10 == 0) {
        Thread.sleep(1);
      }
      return line;
    }
  }
}
