package org.credo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;

/** Inputs shared by the benchmarks: the example policies and seeded synthetic histories. */
final class BenchData {
  static final SubjectId SUBJECT = SubjectId.parse("person:370102199001011231");
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  /** Rongcheng-style types whose rules give constant points. */
  static final List<String> CONSTANT_TYPES =
      List.of(
          "utility.bill_paid_on_time",
          "traffic.red_light",
          "traffic.speeding",
          "utility.fee_delayed",
          "civic.heroic_act",
          "volunteer.blood_donation",
          "contract.obligation_failed",
          "court.breach_of_contract",
          "court.judgment_defaulter",
          "commerce.counterfeit_goods");

  /** Rongcheng-style types whose rules compute points from attributes. */
  static final List<String> EXPRESSION_TYPES =
      List.of("bank.arrears", "volunteer.service_hours", "commerce.untrustworthy_conduct");

  private BenchData() {}

  static String policyText(String name) {
    try (InputStream in = BenchData.class.getResourceAsStream("/policies/" + name + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Policy policy(String name) {
    try {
      return PolicyLoader.load(
          name, policyText(name), org.credo.store.Catalogues.shipped().firewall());
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code n} records over five years of the given types, with every attribute they need. */
  static List<Record> records(int n, List<String> types, long seed) {
    Random random = new Random(seed);
    List<Record> out = new ArrayList<>(n);
    long fiveYears = 5L * 365 * 86400;
    for (int i = 0; i < n; i++) {
      String type = types.get(random.nextInt(types.size()));
      Instant at = NOW.minusSeconds((long) (random.nextDouble() * fiveYears));
      Map<String, Object> attributes =
          Map.of(
              "cycles", (double) (1 + random.nextInt(4)),
              "hours", (double) random.nextInt(60),
              "deduction", (double) random.nextInt(60));
      out.add(
          new Record(
              SourceId.of("source-" + random.nextInt(10)),
              "r" + i,
              SUBJECT,
              RecordType.of(type),
              at,
              at,
              attributes,
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    return out;
  }
}
