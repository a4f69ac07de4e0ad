package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.credo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on the embedded SQLite store. */
class SqliteApiTest extends ApiContract {
  @TempDir Path dir;

  @Override
  Fixture start() throws Exception {
    return new Fixture(
        Store.openFolder(dir.resolve("store"), true),
        dir.resolve("store"),
        Fixture.config(dir.resolve("store")));
  }

  @Test
  void signsACheckpointOfTheAuditChainWithItsKeyWhenItStops() throws Exception {
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel")).is(200);
    org.credo.signing.PublicKey key = f.server.signingKey().publicKey();
    f.close();
    try (Store store = Store.openFolder(dir.resolve("store"), false)) {
      org.credo.audit.Verification v =
          org.credo.audit.AuditLog.verify(
              store, java.util.Optional.of(org.credo.signing.AuditKeys.check(key)));
      assertThat(v.ok()).as(v.reason()).isTrue();
      assertThat(v.signaturesChecked()).isTrue();
      assertThat(v.checkpoints()).isPositive();
      org.credo.audit.Verification other =
          org.credo.audit.AuditLog.verify(
              store,
              java.util.Optional.of(
                  org.credo.signing.AuditKeys.check(
                      org.credo.signing.SigningKey.generate().publicKey())));
      assertThat(other.ok()).as("a checkpoint signed by another key").isFalse();
    }
    f = start();
  }

  @Test
  void keepsTheSigningKeyWithTheStoreAcrossRestarts() throws Exception {
    String keyId = f.server.signingKey().keyId();
    assertThat(dir.resolve("store").resolve("credo.signing")).exists();
    f.close();
    f = start();
    assertThat(f.server.signingKey().keyId()).isEqualTo(keyId);
  }

  @Test
  void answersEveryDecisionOnlyAfterItsInquiryIsCommittedAndStopsGracefully() throws Exception {
    List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () ->
                  api.post(
                      "/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel"))));
    }
    calls.forEach(c -> c.join().is(200));
    assertThat(f.server.inquiries().batches())
        .as("group commit: fewer commits than inquiries")
        .isLessThanOrEqualTo(f.server.inquiries().written());
    f.close();
    assertThatThrownBy(() -> api.get("/health", null))
        .isInstanceOf(AssertionError.class)
        .hasCauseInstanceOf(java.io.IOException.class);
    // Each inquiry is the decision's audit entry: all 200 are in the log after the stop.
    try (Store store = Store.openFolder(dir.resolve("store"), false);
        org.credo.audit.AuditLog log = org.credo.audit.AuditLog.open(store)) {
      assertThat(
              log.entries(1, 100_000).stream()
                  .filter(e -> e.entry().action().equals("decision"))
                  .filter(e -> e.entry().detail().startsWith("inquiry: party=airline"))
                  .count())
          .isEqualTo(200);
    }
  }
}
