package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.credo.app.AppSettings;
import org.credo.app.Caller;
import org.credo.app.CredoApplication;
import org.credo.app.fairness.FairnessOutcome;
import org.credo.app.wire.ApiWire;
import org.credo.audit.AuditLog;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/fairness}: the server rescores from its in-memory index, and its report equals the
 * one the application makes from a scan of the store (what {@code credo fairness report} does).
 */
class FairnessApiTest {
  @TempDir static Path dir;
  static Fixture f;
  static Store store;

  @BeforeAll
  static void start() throws Exception {
    store = Store.openFolder(dir, true);
    f = new Fixture(store, dir, Fixture.config(dir));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void theIndexedReportEqualsTheStoreScanAndRolesAreChecked() throws Exception {
    JsonNode served = f.api.get("/v1/fairness", f.auditor).is(200).json();
    assertThat(served.get("subjects").asLong()).isPositive();
    f.api.get("/v1/fairness", f.good).error(403, "forbidden_role");
    f.api.get("/v1/fairness?policy=nope", f.operator).error(400, "no_active_policy");
    f.api.get("/v1/fairness?asOf=yesterday", f.operator).error(400, "bad_request");

    // The same question without an index: a fresh application over the same store.
    try (AuditLog log = AuditLog.open(store)) {
      CredoApplication plain =
          new CredoApplication(store, log, AppSettings.DEFAULTS, f.clock, null);
      var outcome =
          plain
              .fairness()
              .report(
                  Caller.operator("test"), Optional.empty(), f.clock.instant(), f.clock.instant());
      JsonNode scanned = ApiWire.MAPPER.valueToTree(((FairnessOutcome.Reported) outcome).report());
      assertThat(served.toString()).isEqualTo(scanned.toString());
    }
  }
}
