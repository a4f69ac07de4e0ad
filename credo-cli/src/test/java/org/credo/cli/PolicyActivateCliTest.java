package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.cli.CredoCliTest.credo;
import static org.credo.cli.CredoCliTest.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.credo.cli.CredoCliTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credo policy activate}: one policy per purpose; exit 1 for a conflict, 2 for a bad file.
 */
class PolicyActivateCliTest {
  @BeforeAll
  static void fixTheClock() {
    Credo.clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
  }

  @Test
  void theThreeExamplePoliciesAreActiveTogether(@TempDir Path dir) {
    String data = dir.resolve("data").toString();
    for (String name : new String[] {"rongcheng-style", "sesame-style", "bureau-style"}) {
      Run run = credo("policy", "activate", policy(name), "--data", data);
      assertThat(run.exit()).as(run.err()).isZero();
    }
    assertThat(
            credo("policy", "history", "--data", data)
                .out()
                .lines()
                .filter(l -> l.contains("(active)")))
        .hasSize(3);
  }

  @Test
  void aPurposeDeclaredByAnotherActivePolicyIsRefusedWithExitOne(@TempDir Path dir)
      throws IOException {
    String data = dir.resolve("data").toString();
    assertThat(credo("policy", "activate", policy("bureau-style"), "--data", data).exit()).isZero();
    Path mine = dir.resolve("my-bureau.yaml");
    Files.writeString(
        mine,
        Files.readString(Path.of(policy("bureau-style")))
            .replaceFirst("(?m)^policy: bureau-style$", "policy: my-bureau"));
    Run run = credo("policy", "activate", mine.toString(), "--data", data);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo(
            "credo: purpose 'employment_screening' is already declared by active policy"
                + " bureau-style v2; rename it, or first activate a version of bureau-style"
                + " without it");
    assertThat(credo("policy", "history", "--data", data).out()).doesNotContain("my-bureau");
  }

  @Test
  void aNewVersionOfTheSamePolicyKeepsItsPurposes(@TempDir Path dir) throws IOException {
    String data = dir.resolve("data").toString();
    assertThat(credo("policy", "activate", policy("bureau-style"), "--data", data).exit()).isZero();
    Path v2 = dir.resolve("bureau-v2.yaml");
    Files.writeString(
        v2,
        Files.readString(Path.of(policy("bureau-style")))
            .replaceFirst("(?m)^version: 1$", "version: 2"));
    Run run = credo("policy", "activate", v2.toString(), "--data", data);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("activated bureau-style v2");
  }

  @Test
  void aFileThatDoesNotLoadIsBadInput(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "policy: bad\n");
    Run run = credo("policy", "activate", bad.toString(), "--data", dir.resolve("d").toString());
    assertThat(run.exit()).isEqualTo(2);
  }
}
