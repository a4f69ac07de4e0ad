package org.credo.engine;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyRef;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.credo.subject.SubjectId;

/**
 * The scoring engine over a store: which policies are active when, scores and reports for a
 * subject, and population-wide rescoring. It compiles each stored policy version once.
 */
public final class Engine {
  private final Store store;
  private final Map<PolicyRef, Policy> compiled = new ConcurrentHashMap<>();

  public Engine(Store store) {
    this.store = requireNonNull(store, "store is null");
  }

  public Store store() {
    return store;
  }

  /**
   * Loads and checks a policy, saves its text as a new version and makes it active.
   *
   * @throws PolicyException when the policy does not load; nothing is saved then
   */
  public Policy activate(String file, String yaml, Instant at) throws PolicyException {
    Policy policy = PolicyLoader.load(file, yaml);
    store.savePolicy(policy.ref(), yaml, at);
    store.activate(policy.ref(), at);
    compiled.put(policy.ref(), policy);
    return policy;
  }

  /** The policies active at {@code at}, one per policy id. */
  public List<Policy> activePolicies(Instant at) {
    List<Policy> out = new ArrayList<>();
    for (PolicyRef ref : store.activeAt(at)) {
      out.add(policy(ref));
    }
    return out;
  }

  /** A stored policy version, compiled. */
  public Policy policy(PolicyRef ref) {
    return compiled.computeIfAbsent(
        ref,
        r -> {
          String yaml =
              store
                  .policyText(r)
                  .orElseThrow(() -> new StoreException("policy " + r + " is not saved"));
          try {
            return PolicyLoader.load(r.toString(), yaml);
          } catch (PolicyException e) {
            throw new StoreException(
                "stored policy " + r + " no longer loads: " + e.getMessage(), e);
          }
        });
  }

  /**
   * The subject's score as of {@code asOf}, as known at {@code knownAt}, under every policy active
   * at {@code knownAt} that scores its kind. Choosing the policies by {@code knownAt} makes a
   * replay exact — a decision made on day D, replayed as of D as known at D, uses the records and
   * the policy version Credo had on D — while "my score last March, as known today" uses today's
   * policies.
   */
  public List<Score> scores(SubjectId subject, Instant asOf, Instant knownAt) {
    List<Record> records = store.records(subject);
    List<Score> out = new ArrayList<>();
    for (Policy policy : activePolicies(knownAt)) {
      if (policy.subjects().contains(subject.kind())) {
        out.add(Scorer.score(policy, subject, records, asOf, knownAt));
      }
    }
    return out;
  }

  /** Every record held about the subject, in storage order. */
  public List<Record> records(SubjectId subject) {
    return store.records(subject);
  }

  /** Grade counts and score statistics of a policy over every subject it scores. */
  public record Distribution(
      PolicyRef policy,
      long subjects,
      long records,
      Map<String, Long> grades,
      double mean,
      Map<String, Long> lists) {}

  /** Rescores every subject in the store under {@code policy} at {@code at}. */
  public Distribution distribution(Policy policy, Instant at) {
    Map<String, Long> grades = new LinkedHashMap<>();
    policy.grades().forEach(b -> grades.put(b.grade().name(), 0L));
    Map<String, Long> lists = new LinkedHashMap<>();
    long[] totals = new long[2];
    double[] sum = {0};
    store.forEachSubject(
        (key, rows) -> {
          if (!policy.subjects().contains(rows.get(0).subjectKind())) {
            return;
          }
          SubjectId pseudonym = SubjectId.pseudonym(rows.get(0).subjectKind(), key);
          List<Record> records = new ArrayList<>(rows.size());
          rows.forEach(r -> records.add(r.toRecord(pseudonym)));
          Score s = Scorer.score(policy, pseudonym, records, at, at);
          grades.merge(s.grade().name(), 1L, Long::sum);
          s.listsInEffect().forEach(l -> lists.merge(l, 1L, Long::sum));
          totals[0]++;
          totals[1] += rows.size();
          sum[0] += s.value();
        });
    return new Distribution(
        policy.ref(), totals[0], totals[1], grades, totals[0] == 0 ? 0 : sum[0] / totals[0], lists);
  }
}
