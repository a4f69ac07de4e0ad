package org.credo.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple3;
import org.credo.app.wire.ApiWire;
import org.credo.app.wire.ScoresWire;
import org.credo.dueprocess.DueProcess;
import org.credo.intake.PolicyIntake;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.subject.SubjectId;

/**
 * A seeded population for the equivalence tests: subjects with one to twelve records over six years
 * — some reported weeks late, some corrected or retracted, judgments that put subjects on a black
 * list after a notice period, records that expire — and a few lines the intake must refuse (a type
 * outside the catalogue, broken JSON). {@link #expected} is the embedded core's answer.
 */
final class Population {
  static final Instant START = Instant.parse("2020-01-01T00:00:00Z");
  static final String[] TYPES = {
    "traffic.red_light",
    "traffic.speeding",
    "traffic.drunk_driving",
    "bank.arrears",
    "court.judgment_defaulter",
    "utility.bill_paid_on_time",
    "utility.fee_delayed",
    "civic.national_award",
    "volunteer.service_hours",
    "account.opened",
    "account.paid_as_agreed",
    "account.late_30",
    "credit.hard_inquiry",
    "loan.repaid_on_time",
    "identity.verified",
    "contract.fulfilled"
  };

  final List<String> lines = new ArrayList<>();
  final int rejects;

  /** Every subject's valid records, as the embedded engine would hold them. */
  final Map<SubjectId, List<Record>> records = new LinkedHashMap<>();

  final ScoringJob.Definitions definitions;
  final List<Policy> policies;

  Population(int subjects, long seed) throws Exception {
    definitions = definitions();
    policies = definitions.policies();
    Random rng = new Random(seed);
    int refused = 0;
    for (int s = 0; s < subjects; s++) {
      String subject = "person:P-" + s;
      int n = 1 + rng.nextInt(12);
      String firstType = null;
      LocalDate firstDay = null;
      for (int k = 0; k < n; k++) {
        String type = TYPES[rng.nextInt(TYPES.length)];
        LocalDate day = LocalDate.of(2021, 1, 1).plusDays(rng.nextInt(2_150));
        if (k == 0) {
          firstType = type;
          firstDay = day;
        }
        StringBuilder b =
            new StringBuilder("{\"source\":\"src\",\"id\":\"r")
                .append(s)
                .append('-')
                .append(k)
                .append("\",\"subject\":\"")
                .append(subject)
                .append("\",\"type\":\"")
                .append(type)
                .append("\",\"occurred\":\"")
                .append(day)
                .append('"');
        if (rng.nextInt(5) == 0) {
          // reported late: Credo learns it weeks after it happened
          b.append(",\"learned\":\"")
              .append(day.plusDays(1 + rng.nextInt(60)).atTime(9, 30).toInstant(ZoneOffset.UTC))
              .append('"');
        }
        switch (type) {
          case "bank.arrears" ->
              b.append(",\"attributes\":{\"cycles\":").append(1 + rng.nextInt(6)).append('}');
          case "court.judgment_defaulter" ->
              b.append(",\"attributes\":{\"amount\":")
                  .append(1000 * (1 + rng.nextInt(90)))
                  .append('}');
          case "volunteer.service_hours" ->
              b.append(",\"attributes\":{\"hours\":").append(1 + rng.nextInt(40)).append('}');
          default -> {}
        }
        if (k > 0 && rng.nextInt(10) == 0) {
          b.append(rng.nextBoolean() ? ",\"retracts\":\"src/r" : ",\"supersedes\":\"src/r")
              .append(s)
              .append('-')
              .append(rng.nextInt(k))
              .append('"');
        }
        lines.add(b.append('}').toString());
      }
      if (s % 50 == 7) {
        // A dispute of the first record expired unanswered: the dispute desk writes Credo's own
        // suppression at the deadline, a retraction like any other on credo.records.
        lines.add(
            "{\"source\":\"credo\",\"id\":\"dispute:d"
                + s
                + ":suppressed\",\"subject\":\""
                + subject
                + "\",\"type\":\""
                + firstType
                + "\",\"occurred\":\""
                + firstDay
                + "\",\"learned\":\""
                + firstDay.plusDays(90).atStartOfDay().toInstant(ZoneOffset.UTC)
                + "\",\"retracts\":\"src/r"
                + s
                + "-0\",\"evidence\":\"dispute d"
                + s
                + " was not answered by its deadline\"}");
      }
      if (s % 40 == 21) {
        disputedJudgment(s, subject, rng);
      }
      if (s % 1000 == 0) {
        lines.add(
            "{\"source\":\"src\",\"id\":\"x"
                + s
                + "\",\"subject\":\""
                + subject
                + "\",\"type\":\"church.attendance\",\"occurred\":\"2026-01-01\"}");
        lines.add("{\"source\":\"src\",\"id\":");
        refused += 2;
      }
    }
    rejects = refused;
    var catalogue = definitions.catalogue();
    for (String line : lines) {
      try {
        Record r = RecordJson.parse(line, Optional.empty(), null, ScoringJob.END_OF_TIME);
        if (PolicyIntake.refusal(catalogue, policies, r).isEmpty()) {
          records.computeIfAbsent(r.subject(), x -> new ArrayList<>()).add(r);
        }
      } catch (IllegalArgumentException e) {
        // refused at intake
      }
    }
  }

  /**
   * A judgment that puts the subject on the black list after its ten days' notice, disputed on the
   * second day: the dispute desk's marks hold the entry until the dispute is settled — answered
   * after the notice (the entry takes effect then), left open (it takes effect at the deadline), or
   * answered and later ended by a granted repair.
   */
  private void disputedJudgment(int s, String subject, Random rng) {
    Instant learned =
        LocalDate.of(2022, 1, 1)
            .plusDays(rng.nextInt(1_200))
            .atTime(9, 0)
            .toInstant(ZoneOffset.UTC);
    lines.add(
        "{\"source\":\"src\",\"id\":\"j"
            + s
            + "\",\"subject\":\""
            + subject
            + "\",\"type\":\"court.judgment_defaulter\",\"occurred\":\""
            + learned.atZone(ZoneOffset.UTC).toLocalDate()
            + "\",\"learned\":\""
            + learned
            + "\",\"attributes\":{\"amount\":50000}}");
    SubjectId who = SubjectId.parse(subject);
    Instant opened = learned.plus(Duration.ofDays(2)).plusMillis(rng.nextInt(1_000));
    Instant deadline = opened.plus(Duration.ofDays(30));
    String id = "dj" + s;
    lines.add(
        RecordJson.toNode(DueProcess.opened(id, who, "src/j" + s, opened, deadline)).toString());
    switch ((s / 40) % 3) {
      case 0 ->
          lines.add(
              RecordJson.toNode(DueProcess.answered(id, who, opened.plus(Duration.ofDays(15))))
                  .toString());
      case 1 -> {} // open past its deadline: the entry takes effect then
      default -> {
        lines.add(
            RecordJson.toNode(DueProcess.answered(id, who, opened.plus(Duration.ofDays(3))))
                .toString());
        lines.add(
            RecordJson.toNode(
                    DueProcess.granted(
                        "rp" + s,
                        who,
                        "src/j" + s,
                        "judgment-defaulters",
                        learned.plus(Duration.ofDays(60))))
                .toString());
      }
    }
  }

  /**
   * The lines in the order Credo learned them, as an intake writes them to {@code credo.records} (a
   * line that does not parse first).
   */
  List<String> linesByLearned() {
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(
        java.util.Comparator.comparing(
            (String line) -> {
              try {
                return RecordJson.parse(line, Optional.empty(), null, ScoringJob.END_OF_TIME)
                    .learned();
              } catch (IllegalArgumentException e) {
                return Instant.MIN;
              }
            }));
    return sorted;
  }

  /** The embedded core's score JSON for a subject under a policy at {@code at}, as known then. */
  String expected(SubjectId subject, Policy policy, Instant at) throws Exception {
    return ApiWire.MAPPER.writeValueAsString(
        ScoresWire.of(DueProcess.score(policy, subject, records.get(subject), at, at)));
  }

  /** The lines as the job's intake takes them (no Kafka: the origin is the line number). */
  List<Tuple3<String, Long, byte[]>> intake() {
    List<Tuple3<String, Long, byte[]>> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.add(Intake.parse(null, lines.get(i), "line " + (i + 1), 0L));
    }
    return out;
  }

  /** The control messages: the catalogue, then each policy, active from {@link #START}. */
  List<String> control() throws Exception {
    List<String> out = new ArrayList<>();
    out.add(new Versions.Message("catalogue", START, definitions.catalogueYaml()).json());
    for (String yaml : new TreeMap<>(definitions.policyYamls()).values()) {
      out.add(new Versions.Message("policy", START, yaml).json());
    }
    return out;
  }

  /**
   * Checks a run's score outputs against the embedded core: every score line equals the core's
   * answer at the instant it carries, and at each of {@code instants} the latest line of each
   * (subject, policy) — the score the serving store would hold then — equals the core's answer at
   * that instant but for the instant it names.
   *
   * @return how many comparisons were made
   */
  long check(List<Tuple3<String, String, String>> outputs, List<Instant> instants)
      throws Exception {
    Map<String, TreeMap<Instant, String>> timeline = new LinkedHashMap<>();
    Map<String, Policy> byId = new LinkedHashMap<>();
    policies.forEach(p -> byId.put(p.id(), p));
    long compared = 0;
    for (var t : outputs) {
      if (!t.f0.equals(SubjectScoring.SCORES)) {
        continue;
      }
      var node = ApiWire.MAPPER.readTree(t.f2);
      SubjectId subject = SubjectId.parse(node.path("subject").asText());
      Instant at = Instant.parse(node.path("asOf").asText());
      Policy policy = byId.get(node.path("scores").path(0).path("policy").asText());
      String expected = expected(subject, policy, at);
      if (!expected.equals(t.f2)) {
        throw new AssertionError(
            "at " + at + " under " + policy.id() + ":\njob:  " + t.f2 + "\ncore: " + expected);
      }
      compared++;
      String previous =
          timeline.computeIfAbsent(subject + " " + policy.id(), x -> new TreeMap<>()).put(at, t.f2);
      if (previous != null && !previous.equals(t.f2)) {
        throw new AssertionError("two different scores at " + at + " for " + subject);
      }
    }
    for (Instant at : instants) {
      for (var e : records.entrySet()) {
        SubjectId subject = e.getKey();
        boolean known = e.getValue().stream().anyMatch(r -> !r.learned().isAfter(at));
        for (Policy policy : policies) {
          if (!policy.subjects().contains(subject.kind())) {
            continue;
          }
          var line =
              timeline.getOrDefault(subject + " " + policy.id(), new TreeMap<>()).floorEntry(at);
          if (!known) {
            if (line != null) {
              throw new AssertionError(subject + " scored before any record was learned");
            }
            continue;
          }
          if (line == null) {
            throw new AssertionError(
                "no score for " + subject + " under " + policy.id() + " by " + at);
          }
          String restamped = unstamped(line.getValue());
          String expected = unstamped(expected(subject, policy, at));
          if (!expected.equals(restamped)) {
            throw new AssertionError(
                "at "
                    + at
                    + " under "
                    + policy.id()
                    + " (last change "
                    + line.getKey()
                    + "):\njob:  "
                    + restamped
                    + "\ncore: "
                    + expected);
          }
          compared++;
        }
      }
    }
    return compared;
  }

  /**
   * An output's JSON without what follows only from the instant it was made at: {@code asOf},
   * {@code knownAt}, {@code decidedAt}, {@code validUntil}, and the dates of a list entry that
   * follows the score (no record behind it: it is as of each instant). Two outputs with equal
   * unstamped forms say the same thing.
   */
  static String unstamped(String json) throws java.io.IOException {
    var tree = ApiWire.MAPPER.readTree(json);
    unstamp(tree);
    return tree.toString();
  }

  private static void unstamp(com.fasterxml.jackson.databind.JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      o.remove(List.of("asOf", "knownAt", "decidedAt", "validUntil"));
      if (o.has("list") && o.has("noticeFrom") && !o.has("record")) {
        o.remove(List.of("noticeFrom", "effectiveFrom"));
      }
      o.forEach(Population::unstamp);
    } else if (node.isArray()) {
      node.forEach(Population::unstamp);
    }
  }

  static ScoringJob.Definitions definitions() throws Exception {
    Map<String, String> policies = new LinkedHashMap<>();
    for (String p : List.of("rongcheng-style", "bureau-style", "sesame-style")) {
      policies.put(p + ".yaml", Files.readString(Path.of("..", "policies", p + ".yaml")));
    }
    return new ScoringJob.Definitions(
        Files.readString(Path.of("..", "catalogue", "credo-default.yaml")), policies);
  }
}
