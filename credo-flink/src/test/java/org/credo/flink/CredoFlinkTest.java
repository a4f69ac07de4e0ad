package org.credo.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credo-flink backfill} as a user runs it: files in, one score line per (subject, policy)
 * and the rejects with their reasons out; bad arguments and a policy that does not load are refused
 * with exit 2 and a reason, before any job runs.
 */
class CredoFlinkTest {
  @TempDir Path dir;

  @Test
  void backfillsFilesAndWritesScoresAndRejects() throws Exception {
    Path records = dir.resolve("records.ndjson");
    Files.write(
        records,
        List.of(
            "{\"source\":\"court\",\"id\":\"jd\",\"subject\":\"person:370102199001011231\","
                + "\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-03-01\","
                + "\"attributes\":{\"amount\":20000}}",
            "{\"source\":\"city\",\"id\":\"u1\",\"subject\":\"person:370102199001011231\","
                + "\"type\":\"utility.bill_paid_on_time\",\"occurred\":\"2026-10-01\"}",
            "{\"source\":\"city\",\"id\":\"c1\",\"subject\":\"person:P-2\","
                + "\"type\":\"church.attendance\",\"occurred\":\"2026-10-01\"}",
            "not json"),
        StandardCharsets.UTF_8);
    Path out = dir.resolve("scores.ndjson");
    Path rejects = dir.resolve("rejects.ndjson");
    int exit =
        CredoFlink.run(
            new String[] {
              "backfill",
              "--catalogue",
              "../catalogue/credo-default.yaml",
              "--policy",
              "../policies/rongcheng-style.yaml",
              "--records",
              records.toString(),
              "--as-of",
              "2026-11-22",
              "--out",
              out.toString(),
              "--rejects",
              rejects.toString(),
              "--parallelism",
              "1"
            });
    assertThat(exit).isZero();
    List<String> scores = Files.readAllLines(out);
    assertThat(scores).hasSize(1);
    assertThat(scores.get(0))
        .startsWith("{\"subject\":\"person:370102199001011231\",\"asOf\":\"2026-11-22T00:00:00Z\"")
        .contains("\"policy\":\"rongcheng-style\"")
        .contains("judgment-defaulters");
    assertThat(Files.readAllLines(rejects))
        .hasSize(2)
        .anySatisfy(
            r -> assertThat(r).contains("church.attendance").contains("not in the catalogue"));
  }

  @Test
  void badArgumentsAndABrokenPolicyAreRefusedBeforeAnyJob() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken,
        Files.readString(Path.of("..", "policies", "rongcheng-style.yaml"))
            .replace("type: traffic.speeding", "type: mosque.visit"));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(CredoFlink.run(new String[] {"backfill", "--as-of"})).isEqualTo(2);
      assertThat(CredoFlink.run(new String[] {"backfill", "--records", "x"})).isEqualTo(2);
      assertThat(
              CredoFlink.run(
                  new String[] {
                    "backfill",
                    "--catalogue",
                    "../catalogue/credo-default.yaml",
                    "--policy",
                    broken.toString(),
                    "--records",
                    "x",
                    "--as-of",
                    "2026-11-22",
                    "--out",
                    dir.resolve("o").toString()
                  }))
          .isEqualTo(2);
      assertThat(CredoFlink.run(new String[] {"frobnicate"})).isEqualTo(2);
      assertThat(CredoFlink.run(new String[] {"stream", "--parallelism", "2"})).isEqualTo(2);
      assertThat(CredoFlink.run(new String[] {"stream", "--bootstrap", "x:1", "--wat", "1"}))
          .isEqualTo(2);
      assertThat(
              CredoFlink.run(
                  new String[] {
                    "publish",
                    "--bootstrap",
                    "x:1",
                    "--catalogue",
                    broken.toString(),
                    "--active-from",
                    "2026-01-01"
                  }))
          .isEqualTo(2);
    } finally {
      System.setErr(err);
    }
    String said = captured.toString(StandardCharsets.UTF_8);
    assertThat(said)
        .contains("usage: credo-flink COMMAND")
        .contains("--bootstrap is required")
        .contains("unknown option --wat")
        .contains("catalogue active from 2026-01-01T00:00:00Z does not load")
        .contains("--as-of needs a value")
        .contains("--catalogue, --policy, --records, --as-of and --out are required")
        .contains(
            "record type 'mosque.visit' is in a protected category (religion or belief: 'mosque')");
    assertThat(dir.resolve("o")).doesNotExist();
  }
}
