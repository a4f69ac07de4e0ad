package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.credo.signing.Canonical;
import org.credo.signing.MerkleProof;
import org.credo.signing.PublicKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's main journeys over real HTTP, against whichever store a subclass provides. */
abstract class ApiContract {
  Fixture f;
  Api api;

  abstract Fixture start() throws Exception;

  @BeforeEach
  void startServer() throws Exception {
    f = start();
    api = f.api;
  }

  @AfterEach
  void stopServer() {
    f.close();
  }

  static JsonNode rongcheng(JsonNode scores) {
    for (JsonNode s : scores.get("scores")) {
      if (s.get("policy").asText().equals("rongcheng-style")) {
        return s;
      }
    }
    throw new AssertionError("no rongcheng-style score in " + scores);
  }

  static String path(String subject, String rest) {
    return "/v1/subjects/" + subject + rest;
  }

  @Test
  void providerSubmitsAJsonArrayAndGetsEachRecordsOutcome() {
    String body =
        "["
            + "{\"id\":\"jd-2\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-01\"},"
            + "{\"id\":\"jd-1\",\"subject\":\""
            + Fixture.DEFAULTER
            + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\"2026-03-01\","
            + "\"evidence\":\"case (2026) Lu 01 Zhi 42\"},"
            + "{\"id\":\"x-1\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"utility.bill_paid_on_time\",\"occurred\":\"2026-06-01\"},"
            + "{\"source\":\"city-bank\",\"id\":\"x-2\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-01\"},"
            + "{\"id\":\"x-3\",\"subject\":\"person:1' OR '1'='1\",\"type\":\"court.repayment_liability\","
            + "\"occurred\":\"2026-06-01\"},"
            + "42"
            + "]";
    JsonNode r = api.post("/v1/records", f.court, body).is(200).json();
    assertThat(r.at("/summary/records").asInt()).isEqualTo(6);
    assertThat(r.at("/summary/accepted").asInt()).isEqualTo(1);
    assertThat(r.at("/summary/duplicate").asInt()).isEqualTo(1);
    assertThat(r.at("/summary/rejected").asInt()).isEqualTo(4);
    List<String> statuses = new ArrayList<>();
    r.get("records").forEach(o -> statuses.add(o.get("status").asText()));
    assertThat(statuses)
        .containsExactly("accepted", "duplicate", "rejected", "rejected", "rejected", "rejected");
    assertThat(r.at("/records/2/reason").asText()).contains("not registered for type");
    assertThat(r.at("/records/3/reason").asText()).contains("city-bank");
    assertThat(r.at("/records/5/reason").asText()).contains("JSON object");

    JsonNode again = api.post("/v1/records", f.court, body).is(200).json();
    assertThat(again.at("/summary/accepted").asInt()).isZero();
    assertThat(again.at("/summary/duplicate").asInt()).isEqualTo(2);
  }

  @Test
  void providerSubmitsNdjson() {
    String body =
        "{\"id\":\"bill-10\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"utility.bill_paid_on_time\",\"occurred\":\"2026-10-05\"}\n"
            + "not json\n"
            + "{\"id\":\"bill-10\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"utility.bill_paid_on_time\",\"occurred\":\"2026-10-05\"}\n";
    JsonNode r = api.post("/v1/records", f.utilities, "application/x-ndjson", body).is(200).json();
    assertThat(r.at("/records/0/status").asText()).isEqualTo("accepted");
    assertThat(r.at("/records/1/status").asText()).isEqualTo("rejected");
    assertThat(r.at("/records/1/reason").asText()).startsWith("malformed JSON");
    assertThat(r.at("/records/2/status").asText()).isEqualTo("duplicate");
    JsonNode score = api.get(path(Fixture.GOOD, "/score"), f.good).is(200).json();
    assertThat(rongcheng(score).get("contributions").size()).isEqualTo(10);
  }

  @Test
  void concurrentSubmissionsOfOneSourceStoreEachRecordOnce() throws Exception {
    // Four requests of the same source at once, each holding 40 ids, half of them shared: every
    // id is accepted by exactly one request and called a duplicate by the others.
    int requests = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(requests);
    try {
      List<java.util.concurrent.Future<JsonNode>> answers = new ArrayList<>();
      for (int q = 0; q < requests; q++) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 40; i++) {
          String id = i < 20 ? "race-shared-" + i : "race-" + q + "-" + i;
          body.append("{\"id\":\"")
              .append(id)
              .append("\",\"subject\":\"")
              .append(Fixture.GOOD)
              .append("\",\"type\":\"utility.bill_paid_on_time\",\"occurred\":\"2026-09-0")
              .append(1 + i % 9)
              .append("\"}\n");
        }
        String b = body.toString();
        answers.add(
            pool.submit(
                () ->
                    api.post("/v1/records", f.utilities, "application/x-ndjson", b)
                        .is(200)
                        .json()));
      }
      java.util.Map<String, Integer> acceptedBy = new java.util.HashMap<>();
      int accepted = 0;
      int duplicate = 0;
      for (var a : answers) {
        JsonNode r = a.get();
        accepted += r.at("/summary/accepted").asInt();
        duplicate += r.at("/summary/duplicate").asInt();
        for (JsonNode o : r.get("records")) {
          if (o.get("status").asText().equals("accepted")) {
            acceptedBy.merge(o.get("id").asText(), 1, Integer::sum);
          } else {
            assertThat(o.get("status").asText()).isEqualTo("duplicate");
          }
        }
      }
      assertThat(acceptedBy).hasSize(20 + requests * 20);
      assertThat(acceptedBy.values()).containsOnly(1);
      assertThat(accepted).isEqualTo(20 + requests * 20);
      assertThat(duplicate).isEqualTo((requests - 1) * 20);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void subjectsSeeTheirScoreAndFullReport() {
    JsonNode score = api.get(path(Fixture.GOOD, "/score"), f.good).is(200).json();
    JsonNode rongcheng = rongcheng(score);
    assertThat(rongcheng.get("policy").asText()).isEqualTo("rongcheng-style");
    assertThat(rongcheng.get("score").asInt()).isEqualTo(1009);
    assertThat(rongcheng.get("grade").asText()).isEqualTo("A");
    JsonNode past = api.get(path(Fixture.GOOD, "/score?asOf=2026-03-10"), f.good).is(200).json();
    assertThat(rongcheng(past).get("score").asInt()).isEqualTo(1003);

    JsonNode report = api.get(path(Fixture.DEFAULTER, "/report"), f.defaulter).is(200).json();
    assertThat(report.at("/records/0/evidence").asText()).isEqualTo("case (2026) Lu 01 Zhi 42");
    assertThat(report.at("/records/0/source").asText()).isEqualTo("court-enforcement");
    assertThat(report.get("lists").toString()).contains("judgment-defaulters");
    assertThat(report.has("inquiries")).isTrue();
    assertThat(report.has("consents")).isTrue();
  }

  @Test
  void operatorReadsAreInquiriesTheSubjectSees() {
    api.get(path(Fixture.GOOD, "/report"), f.operator).is(200);
    JsonNode inquiries = api.get(path(Fixture.GOOD, "/inquiries"), f.good).is(200).json();
    assertThat(inquiries.at("/inquiries/0/purpose").asText()).isEqualTo("operator_report_read");
    assertThat(inquiries.at("/inquiries/0/party").asText()).startsWith("operator:tok-");
  }

  @Test
  void deniesAirTravelToAJudgmentDefaulterWithSignedAdverseActionData() throws Exception {
    JsonNode d =
        api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.DEFAULTER, "air_travel"))
            .is(200)
            .json();
    assertThat(d.get("outcome").asText()).isEqualTo("deny");
    assertThat(d.get("policy").asText()).isEqualTo("rongcheng-style");
    assertThat(d.get("policyVersion").asInt()).isEqualTo(2);
    assertThat(d.get("validUntil").asText()).isEqualTo("2026-12-22T00:00:00Z");
    assertThat(d.at("/reasonCodes/0/code").asText()).isEqualTo("deny_if");
    assertThat(d.at("/adverseAction/scoreRange/min").asInt()).isZero();
    assertThat(d.at("/adverseAction/scoreRange/max").asInt()).isEqualTo(1200);
    assertThat(d.at("/adverseAction/freeReport").asText()).contains("/report");
    assertThat(d.at("/adverseAction/dispute").asText()).contains("dispute");
    assertThat(d.get("disclosed").size()).isZero();
    assertThat(verifiesWithTheJdk(d)).isTrue();

    ((ObjectNode) d).put("outcome", "allow");
    assertThat(verifiesWithTheJdk(d)).as("a changed decision no longer verifies").isFalse();

    JsonNode inquiries = api.get(path(Fixture.DEFAULTER, "/inquiries"), f.defaulter).is(200).json();
    assertThat(inquiries.at("/inquiries/0/party").asText()).isEqualTo("airline");
    assertThat(inquiries.at("/inquiries/0/purpose").asText()).isEqualTo("air_travel");
    assertThat(inquiries.at("/inquiries/0/outcome").asText()).isEqualTo("deny");
  }

  @Test
  void allowsAirTravelToSomeoneNotListed() {
    JsonNode d =
        api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel"))
            .is(200)
            .json();
    assertThat(d.get("outcome").asText()).isEqualTo("allow");
    assertThat(d.has("adverseAction")).isFalse();
  }

  @Test
  void answersAConsentPurposeOnlyWhileConsentLivesAndDisclosesNoScore() {
    String ask = Fixture.decision(Fixture.GOOD, "rental_deposit_waiver");
    api.post("/v1/decisions", f.landlord, ask).error(403, "consent_required");

    String until = Fixture.START.plus(Duration.ofHours(1)).toString();
    JsonNode consent =
        api.post(
                path(Fixture.GOOD, "/consents"),
                f.good,
                "{\"party\":\"landlord\",\"purpose\":\"rental_deposit_waiver\",\"until\":\""
                    + until
                    + "\"}")
            .is(201)
            .json();
    assertThat(consent.get("state").asText()).isEqualTo("live");
    JsonNode d = api.post("/v1/decisions", f.landlord, ask).is(200).json();
    assertThat(d.get("outcome").asText()).isEqualTo("allow");
    assertThat(d.get("disclosed").size()).as("a deposit waiver reveals no score").isZero();
    assertThat(d.toString()).doesNotContain("\"score\"");

    f.clock.advance(Duration.ofHours(2));
    api.post("/v1/decisions", f.landlord, ask).error(403, "consent_required");

    JsonNode again =
        api.post(
                path(Fixture.GOOD, "/consents"),
                f.good,
                "{\"party\":\"landlord\",\"purpose\":\"rental_deposit_waiver\",\"until\":\"2027-01-01\"}")
            .is(201)
            .json();
    api.post("/v1/decisions", f.landlord, ask).is(200);
    api.delete(path(Fixture.GOOD, "/consents/" + again.get("id").asText()), f.good).is(200);
    api.post("/v1/decisions", f.landlord, ask).error(403, "consent_required");
    api.delete(path(Fixture.GOOD, "/consents/" + again.get("id").asText()), f.good)
        .error(409, "consent_ended");

    JsonNode inquiries = api.get(path(Fixture.GOOD, "/inquiries"), f.good).is(200).json();
    List<String> outcomes = new ArrayList<>();
    inquiries.get("inquiries").forEach(i -> outcomes.add(i.get("outcome").asText()));
    assertThat(outcomes).containsExactly("refused", "allow", "refused", "allow", "refused");
    JsonNode consents = api.get(path(Fixture.GOOD, "/consents"), f.good).is(200).json();
    assertThat(consents.get("consents")).hasSize(2);
  }

  @Test
  void issuesACertificateOfChosenClaimsThatVerifiesUntilItExpires() {
    JsonNode cert =
        api.post(
                path(Fixture.GOOD, "/certificates"),
                f.good,
                "{\"claims\":[\"grade >= A\",\"not on any black list\"],"
                    + "\"policy\":\"rongcheng-style\",\"validFor\":\"PT1H\"}")
            .is(201)
            .json();
    assertThat(cert.at("/certificate/claims").toString())
        .isEqualTo("[\"grade >= A\",\"not on any black list\"]");
    assertThat(cert.toString()).doesNotContain("1009");
    assertThat(cert.at("/certificate/keyId").asText()).isEqualTo(f.server.signingKey().keyId());

    JsonNode ok = api.post("/v1/certificates/verify", null, cert.toString()).is(200).json();
    assertThat(ok.get("valid").asBoolean()).isTrue();

    ObjectNode forged = cert.deepCopy();
    ((ObjectNode) forged.get("certificate")).putArray("claims").add("grade >= AAA");
    JsonNode bad = api.post("/v1/certificates/verify", null, forged.toString()).is(200).json();
    assertThat(bad.get("valid").asBoolean()).isFalse();
    assertThat(bad.get("reason").asText()).isEqualTo("bad_signature");

    f.clock.advance(Duration.ofHours(2));
    JsonNode expired = api.post("/v1/certificates/verify", null, cert.toString()).is(200).json();
    assertThat(expired.get("reason").asText()).isEqualTo("expired");

    api.post(
            path(Fixture.DEFAULTER, "/certificates"),
            f.defaulter,
            "{\"claims\":[\"not on any black list\"]}")
        .error(409, "claim_not_held");
  }

  /**
   * Verifies a decision's batch signature: the Merkle path from the decision's canonical form to
   * the signed root, and the root's signature with the JDK's own Ed25519 and the key from /v1/keys.
   */
  boolean verifiesWithTheJdk(JsonNode decision) throws Exception {
    JsonNode keys = api.get("/v1/keys", null).is(200).json();
    PublicKey key = PublicKey.parse(keys.at("/keys/0/pem").asText());
    assertThat(keys.at("/keys/0/keyId").asText())
        .isEqualTo(decision.at("/signature/keyId").asText());
    ObjectNode signed = decision.deepCopy();
    signed.remove("signature");
    MerkleProof proof = MerkleProof.parse(decision.get("signature"));
    if (!java.util.Arrays.equals(proof.rootOf(Canonical.bytes(signed)), proof.root())) {
      return false;
    }
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(key.x509())));
    jdk.update(MerkleProof.signedBytes(proof.size(), proof.root()));
    return jdk.verify(proof.signature());
  }

  // ---- the audit log (issue #5) ----------------------------------------------------------------

  @Test
  void everyUseOfATokenIsAuditedAndTheChainVerifies() {
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel")).is(200);
    api.get(path(Fixture.GOOD, "/report"), f.operator).is(200);
    api.get(path(Fixture.GOOD, "/score"), f.good).is(200);
    api.get(path(Fixture.GOOD, "/consents"), f.good).is(200);
    api.get("/v1/keys", null).is(200); // no token: nothing to audit
    api.get(path(Fixture.GOOD, "/score"), f.airline).is(403); // a refused use is still a use
    JsonNode v = api.get("/v1/audit/verify", f.auditor).is(200).json();
    assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
    assertThat(v.get("signaturesChecked").asBoolean()).isTrue();
    assertThat(v.get("firstBad").isNull()).isTrue();
    assertThat(v.get("entries").asLong()).isGreaterThanOrEqualTo(4);
    List<String> actions = new ArrayList<>();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!actions.contains("access.denied") && System.nanoTime() < deadline) {
      // token use without a handler's entry is logged after the answer: give it its commit
      actions.clear();
      f.server.auditLog().entries(1, 100).forEach(e -> actions.add(e.entry().action()));
    }
    assertThat(actions)
        .containsSubsequence(
            "decision", "subject.report", "subject.score", "consent.list", "access.denied");
    // A refused use is on the record with who, where, why and from where — never the raw subject.
    assertThat(f.server.auditLog().entries(1, 100))
        .filteredOn(
            e ->
                e.entry().action().equals("access.denied")
                    && e.entry().actor().startsWith("relying_party:"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.entry().detail())
                    .startsWith("GET /v1/subjects/{subject}/score 403 forbidden_role from ")
                    .doesNotContain(Fixture.GOOD))
        .satisfies(
            e ->
                assertThat(e.entry().subjectKey())
                    .isEqualTo(
                        f.server
                            .store()
                            .keys()
                            .pseudonym(org.credo.subject.SubjectId.parse(Fixture.GOOD))));
    // The operator may verify too; the verification itself is audited.
    api.get("/v1/audit/verify", f.operator).is(200);
    assertThat(f.server.auditLog().entries(1, 100))
        .extracting(e -> e.entry().action())
        .contains("audit.verify");
  }

  @Test
  void aSubjectSeesWhoReadItsDataWhenAndWhyAndOnlyItsOwn() {
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel")).is(200);
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.DEFAULTER, "air_travel")).is(200);
    api.get(path(Fixture.DEFAULTER, "/report"), f.operator).is(200);
    JsonNode mine = api.get(path(Fixture.GOOD, "/audit"), f.good).is(200).json();
    List<String> seen = new ArrayList<>();
    mine.get("entries").forEach(e -> seen.add(e.get("action").asText() + " " + e.get("detail")));
    assertThat(seen)
        .anySatisfy(x -> assertThat(x).startsWith("decision").contains("party=airline"));
    assertThat(seen).anySatisfy(x -> assertThat(x).startsWith("audit.read"));
    assertThat(seen).noneSatisfy(x -> assertThat(x).contains("subject.report"));
    assertThat(mine.at("/entries/0/actor").asText()).startsWith("subject:tok-");
    api.get(path(Fixture.DEFAULTER, "/audit"), f.good).error(403, "not_your_subject");
    JsonNode theirs = api.get(path(Fixture.DEFAULTER, "/audit"), f.auditor).is(200).json();
    assertThat(theirs.get("entries").toString())
        .contains("subject.report")
        .contains("operator:tok-")
        .contains("outcome=deny");
    JsonNode report = api.get(path(Fixture.DEFAULTER, "/report"), f.defaulter).is(200).json();
    assertThat(report.get("audit").toString()).contains("outcome=deny").contains("subject.report");
    api.get(path(Fixture.GOOD, "/audit?limit=0"), f.good).error(400, "bad_request");
  }

  @Test
  void providersSubmissionsAreAuditedPerRequestAndPerSubject() {
    String body =
        "[{\"id\":\"aud-1\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-01\"},"
            + "{\"id\":\"aud-2\",\"subject\":\""
            + Fixture.GOOD
            + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-02\"}]";
    api.post("/v1/records", f.court, body).is(200);
    JsonNode mine = api.get(path(Fixture.GOOD, "/audit"), f.good).is(200).json();
    assertThat(mine.get("entries").toString())
        .contains("records.accepted")
        .contains("source=court-enforcement accepted=2");
    assertThat(f.server.auditLog().entries(1, 100))
        .extracting(e -> e.entry().action() + " " + e.entry().detail())
        .contains(
            "records.submit source=court-enforcement records=2 accepted=2 duplicate=0 conflicts=0 rejected=0");
    // The per-subject entries were chained in the records' transaction, the others by the audit
    // writer, concurrently: one chain all the same.
    List<java.util.concurrent.CompletableFuture<Api.Response>> more = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = "aud-c" + i;
      more.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  api.post(
                      "/v1/records",
                      f.court,
                      "[{\"id\":\""
                          + id
                          + "\",\"subject\":\""
                          + Fixture.GOOD
                          + "\",\"type\":\"court.repayment_liability\",\"occurred\":\"2026-06-03\"}]")));
      more.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  api.post(
                      "/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel"))));
    }
    more.forEach(r -> r.join().is(200));
    JsonNode v = api.get("/v1/audit/verify", f.auditor).is(200).json();
    assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
    assertThat(api.get(path(Fixture.GOOD, "/audit?limit=1000"), f.good).is(200).json().toString())
        .contains("source=court-enforcement accepted=1");
  }

  @Test
  void theVerifyEndpointNamesTheFirstBadEntryAfterTampering() throws Exception {
    for (int i = 0; i < 5; i++) {
      api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.GOOD, "air_travel")).is(200);
    }
    org.credo.store.Jdbc db = new org.credo.store.Jdbc(f.server.store().dataSource());
    byte[] entry =
        db.one("SELECT entry FROM audit_log WHERE seq = 3", rs -> rs.getBytes(1)).orElseThrow();
    entry[entry.length - 1] ^= 0x20; // one byte of the detail
    db.update("UPDATE audit_log SET entry = ? WHERE seq = 3", entry);
    JsonNode v = api.get("/v1/audit/verify", f.auditor).is(200).json();
    assertThat(v.get("ok").asBoolean()).isFalse();
    assertThat(v.get("firstBad").asLong()).isEqualTo(3);
    assertThat(v.get("reason").asText()).contains("entry 3").contains("changed");
    assertThat(f.server.auditLog().entries(3, 1).get(0).entry().detail()).isNotEmpty();
  }

  @Test
  void auditEntriesNeverHoldARawSubjectIdentifier() {
    api.post("/v1/decisions", f.airline, Fixture.decision(Fixture.DEFAULTER, "air_travel")).is(200);
    api.get(path(Fixture.DEFAULTER, "/score"), f.operator).is(200);
    api.get(path(Fixture.STRANGER, "/score"), f.operator).is(404);
    api.post(
            path(Fixture.GOOD, "/consents"),
            f.good,
            "{\"party\":\"airline\",\"purpose\":\"air_travel\",\"until\":\"2027-01-01\"}")
        .is(201);
    api.post(
            path(Fixture.GOOD, "/certificates"), f.good, "{\"claims\":[\"not on any black list\"]}")
        .is(201);
    List<String> all = new ArrayList<>();
    f.server
        .auditLog()
        .entries(1, 1000)
        .forEach(
            e -> all.add(e.entry().actor() + " " + e.entry().action() + " " + e.entry().detail()));
    assertThat(all).hasSizeGreaterThanOrEqualTo(5);
    for (String id : List.of(Fixture.GOOD, Fixture.DEFAULTER, Fixture.STRANGER)) {
      String digits = id.substring("person:".length());
      assertThat(all).noneSatisfy(x -> assertThat(x).contains(digits));
    }
  }
}
