package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same commands on a real PostgreSQL server, selected by configuration. */
class PostgresCliTest {
  static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Credo.run(args, new PrintWriter(out), new PrintWriter(err));
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void importsAndScoresOnPostgres(@TempDir Path dir) throws Exception {
    Credo.clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      System.setProperty("credo.jdbc.url", pg.getJdbcUrl("postgres", "postgres"));
      System.setProperty("credo.jdbc.user", "postgres");
      try {
        String data = dir.resolve("keys").toString();
        run(
            "policy",
            "activate",
            Path.of("..", "policies", "rongcheng-style.yaml").toString(),
            "--data",
            data);
        run("source", "add", "court-enforcement", "--types", "court", "--data", data);
        run("source", "add", "city-bank", "--types", "bank", "--data", data);
        Path file =
            java.nio.file.Files.writeString(
                dir.resolve("r.ndjson"),
                "{\"source\":\"court-enforcement\",\"id\":\"jd\",\"subject\":\"person:371082198506120049\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-03-01\"}\n"
                    + "{\"source\":\"city-bank\",\"id\":\"a\",\"subject\":\"person:371082198506120049\",\"type\":\"bank.arrears\",\"occurred\":\"2026-01-31\",\"attributes\":{\"cycles\":2}}\n");
        assertThat(run("import", file.toString(), "--data", data)).contains("2 accepted");
        assertThat(run("score", "person:371082198506120049", "--data", data))
            .contains("score 880 (scale 0 to 1200), grade B")
            .contains("judgment-defaulters: in notice period");
        assertThat(dir.resolve("keys").resolve("credo.keys")).exists();
        assertThat(dir.resolve("keys").resolve("credo.db")).doesNotExist();
      } finally {
        System.clearProperty("credo.jdbc.url");
        System.clearProperty("credo.jdbc.user");
      }
    }
  }
}
