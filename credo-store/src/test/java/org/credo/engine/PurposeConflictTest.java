package org.credo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.credo.policy.Policy;
import org.credo.policy.PolicyRef;
import org.credo.policy.Purpose;
import org.credo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A purpose name belongs to one active policy; activation refuses a second declaration. */
class PurposeConflictTest {
  static final String POLICY =
      """
      policy: %s
      version: %d
      subjects: [person]
      scale: {kind: points, base: 100, min: 0, max: 200}
      rules: [{type: traffic.red_light, domain: public_order, points: -5, expires: P2Y}]
      grades: [{grade: A, min: 0}]
      purposes:
        %s: {domains: [public_order], allow_if: "score >= 50"}
      """;

  static String policy(String id, int version, String purpose) {
    return POLICY.formatted(id, version, purpose);
  }

  static Instant t(String day) {
    return Instant.parse(day + "T00:00:00Z");
  }

  @Test
  void refusesAPurposeAnotherActivePolicyDeclares(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      Engine engine = new Engine(store);
      engine.activate("a.yaml", policy("city-a", 1, "parking"), t("2026-01-01"));
      engine.activate("b.yaml", policy("city-b", 2, "lending"), t("2026-01-01"));
      assertThatThrownBy(
              () -> engine.activate("c.yaml", policy("city-c", 1, "lending"), t("2026-02-01")))
          .isInstanceOf(PurposeConflictException.class)
          .hasMessage(
              "purpose 'lending' is already declared by active policy city-b v2; rename it, or"
                  + " first activate a version of city-b without it")
          .satisfies(
              e -> {
                PurposeConflictException c = (PurposeConflictException) e;
                assertThat(c.purpose()).isEqualTo(Purpose.of("lending"));
                assertThat(c.declaredBy()).isEqualTo(new PolicyRef("city-b", 2));
              });
      // Nothing was saved or activated.
      assertThat(store.policies().text(new PolicyRef("city-c", 1))).isEmpty();
      assertThat(engine.activePolicies(t("2026-03-01")))
          .extracting(Policy::id)
          .containsExactly("city-a", "city-b");
    }
  }

  @Test
  void aNewVersionOfTheSamePolicyReplacesItsOwnPurposes(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      Engine engine = new Engine(store);
      engine.activate("v1", policy("city", 1, "lending"), t("2026-01-01"));
      Policy v2 = engine.activate("v2", policy("city", 2, "lending"), t("2026-02-01"));
      assertThat(v2.ref()).isEqualTo(new PolicyRef("city", 2));
    }
  }

  @Test
  void aPurposeFreedByANewVersionMayBeDeclaredElsewhere(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      Engine engine = new Engine(store);
      engine.activate("b1", policy("city-b", 1, "lending"), t("2026-01-01"));
      engine.activate("b2", policy("city-b", 2, "parking"), t("2026-02-01"));
      engine.activate("c1", policy("city-c", 1, "lending"), t("2026-03-01"));
      assertThat(engine.activePolicies(t("2026-03-01")))
          .extracting(Policy::ref)
          .containsExactly(new PolicyRef("city-b", 2), new PolicyRef("city-c", 1));
    }
  }

  @Test
  void aBackdatedActivationConflictsWithAPolicyActivatedAfterIt(@TempDir Path dir)
      throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      Engine engine = new Engine(store);
      engine.activate("b1", policy("city-b", 1, "lending"), t("2026-06-01"));
      assertThatThrownBy(
              () -> engine.activate("c1", policy("city-c", 1, "lending"), t("2026-01-01")))
          .isInstanceOf(PurposeConflictException.class)
          .hasMessageContaining("city-b v1");
    }
  }

  @Test
  void theShippedPoliciesDeclareNoPurposeTwice(@TempDir Path dir) throws Exception {
    try (Store store = Store.openFolder(dir.resolve("s"), true)) {
      Engine engine = new Engine(store);
      for (String name : new String[] {"rongcheng-style", "sesame-style", "bureau-style"}) {
        Path file = Path.of("..", "policies", name + ".yaml");
        engine.activate(file.toString(), Files.readString(file), t("2026-01-01"));
      }
      assertThat(engine.activePolicies(t("2026-01-01"))).hasSize(3);
    }
  }
}
