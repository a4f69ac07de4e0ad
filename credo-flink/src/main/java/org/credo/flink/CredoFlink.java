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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
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

  static int run(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("backfill")) {
      System.err.println(
          "usage: credo-flink backfill --catalogue C --policy P [--policy …] --records FILE…"
              + " --as-of T --out FILE [--rejects FILE] [--parallelism N]");
      return 2;
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
    List<String> lines = new ArrayList<>();
    for (Path f : records) {
      lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
    }
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(parallelism);
    long started = System.nanoTime();
    ScoringJob.Backfill job = ScoringJob.backfill(env.fromData(lines), definitions, asOf);
    long scored = 0;
    long refused = 0;
    try (CloseableIterator<String> it =
            job.scores().union(job.rejects().map(r -> "\u0000" + r)).executeAndCollect();
        BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        BufferedWriter rw =
            rejects == null ? null : Files.newBufferedWriter(rejects, StandardCharsets.UTF_8)) {
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("\u0000")) {
          refused++;
          if (rw != null) {
            rw.write(line.substring(1));
            rw.newLine();
          }
        } else {
          scored++;
          w.write(line);
          w.newLine();
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        java.util.Locale.ROOT,
        "backfill: %,d input lines, %,d scores written to %s, %,d rejected, %.1f s (%,.0f lines/s)%n",
        lines.size(),
        scored,
        out,
        refused,
        seconds,
        lines.size() / seconds);
    return 0;
  }

  private static String need(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
