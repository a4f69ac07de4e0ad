package org.credo.flink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.credo.records.RecordJson;

/**
 * {@code java -jar credo-flink.jar backfill --catalogue C --policy P [--policy …] --records FILE…
 * --as-of T --out FILE [--rejects FILE] [--parallelism N]}: the scoring job in BATCH mode on a
 * local MiniCluster over NDJSON files, one line per (subject, policy) in the form of {@code credo
 * score --json} (compact). Exit 0 when done, 2 on bad arguments or input that cannot be read.
 */
public final class CredoFlink {
  private CredoFlink() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static final String USAGE =
      String.join(
          "\n",
          "usage: credo-flink COMMAND [OPTIONS]   (docs/scale.md)",
          "  backfill --catalogue C --policy P [--policy …] --records FILE… --as-of T --out FILE"
              + " [--rejects FILE] [--parallelism N]",
          "  stream   --bootstrap HOST:PORT [--group G] [--serving-url JDBC --serving-user U"
              + " --serving-password P] [--parallelism N] [--checkpoint-interval PT10S]"
              + " [--checkpoints URI] [--out-of-order PT0S] [--cadence P1D]"
              + " [--retention-grace P1Y] [--bounded]",
          "  publish  --bootstrap HOST:PORT (--catalogue FILE | --policy FILE)… --active-from T",
          "  produce  --bootstrap HOST:PORT --data DIR --records FILE…",
          "  demo     [--subjects N] [--parallelism N]",
          "  bench    [--subjects N] [--parallelism N]");

  static int run(String[] args) throws Exception {
    String command = args.length == 0 ? "" : args[0];
    if (!command.equals("backfill")) {
      try {
        return switch (command) {
          case "stream" -> Streaming.stream(args);
          case "publish" -> Streaming.publish(args);
          case "produce" -> Streaming.produce(args);
          case "demo" -> Streaming.demo(args);
          case "bench" -> Bench.run(args);
          default -> {
            System.err.println(USAGE);
            yield 2;
          }
        };
      } catch (IllegalArgumentException | java.io.IOException | java.time.DateTimeException e) {
        System.err.println("credo-flink: " + e.getMessage());
        return 2;
      }
    }
    Path catalogue = null;
    Map<String, String> policies = new LinkedHashMap<>();
    List<Path> records = new ArrayList<>();
    Instant asOf = null;
    Path out = null;
    Path rejects = null;
    int parallelism = Runtime.getRuntime().availableProcessors();
    try {
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (a) {
          case "--catalogue" -> catalogue = Path.of(need(a, v));
          case "--policy" -> {
            Path p = Path.of(need(a, v));
            policies.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
          }
          case "--records" -> records.add(Path.of(need(a, v)));
          case "--as-of" -> asOf = RecordJson.parseTime("--as-of", need(a, v));
          case "--out" -> out = Path.of(need(a, v));
          case "--rejects" -> rejects = Path.of(need(a, v));
          case "--parallelism" -> parallelism = Integer.parseInt(need(a, v));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
        i++;
      }
      if (catalogue == null
          || policies.isEmpty()
          || records.isEmpty()
          || asOf == null
          || out == null) {
        throw new IllegalArgumentException(
            "--catalogue, --policy, --records, --as-of and --out are required");
      }
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("credo-flink: " + e.getMessage());
      return 2;
    }
    ScoringJob.Definitions definitions =
        new ScoringJob.Definitions(Files.readString(catalogue, StandardCharsets.UTF_8), policies);
    try {
      definitions.policies();
    } catch (IllegalArgumentException e) {
      System.err.println("credo-flink: " + e.getMessage());
      return 2;
    }
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(parallelism);
    long started = System.nanoTime();
    // Files in, files out: read by the file source in splits, written by a file sink per subtask
    // (no round trip of every line through the client), then joined into --out and --rejects.
    FileSource<String> source =
        FileSource.forRecordStreamFormat(
                new TextLineInputFormat(StandardCharsets.UTF_8.name()),
                records.stream()
                    .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new))
            .build();
    ScoringJob.Backfill job =
        ScoringJob.backfill(
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "records"), definitions, asOf);
    Path work = Files.createTempDirectory("credo-backfill-");
    try {
      job.scores().sinkTo(fileSink(work.resolve("scores"))).uid("credo-scores-out");
      job.rejects().sinkTo(fileSink(work.resolve("rejects"))).uid("credo-rejects-out");
      env.execute("credo backfill as of " + asOf);
      long scored = join(work.resolve("scores"), out);
      long refused =
          rejects == null ? count(work.resolve("rejects")) : join(work.resolve("rejects"), rejects);
      long lines = 0;
      for (Path f : records) {
        try (var l = Files.lines(f, StandardCharsets.UTF_8)) {
          lines += l.count();
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          java.util.Locale.ROOT,
          "backfill: %,d input lines, %,d scores written to %s, %,d rejected, %.1f s (%,.0f"
              + " lines/s)%n",
          lines,
          scored,
          out,
          refused,
          seconds,
          lines / seconds);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return 0;
  }

  private static FileSink<String> fileSink(Path dir) {
    return FileSink.forRowFormat(
            new org.apache.flink.core.fs.Path(dir.toUri()),
            new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name()))
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .build();
  }

  /** Appends every finished part file under {@code dir} to {@code to}; returns the lines. */
  private static long join(Path dir, Path to) throws IOException {
    long n = 0;
    try (BufferedWriter w = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
      for (Path part : parts(dir)) {
        try (var lines = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
          String line;
          while ((line = lines.readLine()) != null) {
            w.write(line);
            w.newLine();
            n++;
          }
        }
      }
    }
    return n;
  }

  private static long count(Path dir) throws IOException {
    long n = 0;
    for (Path part : parts(dir)) {
      try (var lines = Files.lines(part, StandardCharsets.UTF_8)) {
        n += lines.count();
      }
    }
    return n;
  }

  private static List<Path> parts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static String need(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
