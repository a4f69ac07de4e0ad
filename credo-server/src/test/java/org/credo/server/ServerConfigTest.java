package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @Test
  void hasDocumentedDefaults() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.dataDir()).isEqualTo(Path.of("credo-data"));
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.jdbcUrl()).isEmpty();
    assertThat(c.maxBodyBytes()).isEqualTo(16L << 20);
    assertThat(c.limits().decisionsPerSecond()).isEqualTo(200);
    assertThat(c.limits().reportsPerMinute()).isEqualTo(60);
    assertThat(c.certificateValidity()).isEqualTo(Duration.ofHours(24));
    assertThat(c.certificateMaxValidity()).isEqualTo(Duration.ofDays(30));
    assertThat(c.auditCheckpointEvery()).isEqualTo(10_000);
    assertThat(c.auditCheckpointInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.auditEnabled()).isTrue();
    assertThat(c.indexCycle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.auditGroupCommitWait()).isEqualTo(Duration.ofMillis(1));
    assertThatThrownBy(
            () -> ServerConfig.load(Optional.empty(), Map.of(), Map.of("audit.enabled", "maybe")))
        .hasMessageContaining("'audit.enabled'")
        .hasMessageContaining("true or false");
  }

  @Test
  void theFileThenTheEnvironmentThenTheCommandLineWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credo.properties");
    Files.writeString(
        file,
        "port = 9000\nhost=0.0.0.0\nhttp.max-body-bytes=2m\nlimits.decisions-per-second=50\n");
    ServerConfig c =
        ServerConfig.load(
            Optional.of(file),
            Map.of("CREDO_LIMITS_DECISIONS_PER_SECOND", "70", "CREDO_PORT", "9100"),
            Map.of("port", "9200"));
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.maxBodyBytes()).isEqualTo(2L << 20);
    assertThat(c.limits().decisionsPerSecond()).isEqualTo(70);
    assertThat(c.port()).isEqualTo(9200);
    assertThat(ServerConfig.envName("limits.reports-per-minute"))
        .isEqualTo("CREDO_LIMITS_REPORTS_PER_MINUTE");
  }

  @Test
  void refusesUnknownKeysAndBadValuesNamingWhereTheyCameFrom(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "prot=9000\n");
    assertThatThrownBy(() -> ServerConfig.load(Optional.of(file), Map.of(), Map.of()))
        .hasMessageContaining("unknown setting 'prot'");
    assertThatThrownBy(
            () -> ServerConfig.load(Optional.empty(), Map.of("CREDO_PORT", "70000"), Map.of()))
        .hasMessageContaining("'port'")
        .hasMessageContaining("$CREDO_PORT")
        .hasMessageContaining("0 to 65535");
    assertThatThrownBy(
            () -> ServerConfig.load(Optional.empty(), Map.of(), Map.of("tokens.cache", "ten")))
        .hasMessageContaining("ISO-8601 duration");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    Optional.empty(), Map.of("CREDO_JDBC_URL", "jdbc:mysql://x"), Map.of()))
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    Optional.empty(), Map.of(), Map.of("certificates.validity", "P40D")))
        .hasMessageContaining("certificates.max-validity");
    assertThatThrownBy(
            () ->
                ServerConfig.load(Optional.empty(), Map.of("CREDO_INDEX_CYCLE", "PT0S"), Map.of()))
        .hasMessageContaining("'index.cycle'")
        .hasMessageContaining("$CREDO_INDEX_CYCLE")
        .hasMessageContaining("above zero");
    assertThat(
            ServerConfig.load(Optional.empty(), Map.of(), Map.of("audit.group-commit-wait", "PT0S"))
                .auditGroupCommitWait())
        .isZero();
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    Optional.empty(), Map.of(), Map.of("audit.group-commit-wait", "PT2S")))
        .hasMessageContaining("'audit.group-commit-wait'")
        .hasMessageContaining("0 to 1 s");
  }
}
