package org.credo.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyProblem;
import org.credo.store.Catalogues;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Loading, checking and compiling each example policy (YAML parse, safeguards, CEL). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyLoadBenchmark {
  @Param({"rongcheng-style", "sesame-style", "bureau-style"})
  String policy;

  String text;
  String catalogueText;
  Catalogue catalogue;

  @Setup
  public void setUp() throws CatalogueException {
    text = BenchData.policyText(policy);
    catalogueText = Catalogues.shippedYaml();
    catalogue = CatalogueReader.read("credo-default.yaml", catalogueText);
  }

  @Benchmark
  public Policy load() throws PolicyException {
    return PolicyLoader.load(policy, text, catalogue.firewall());
  }

  /** Loading a policy and checking it against the catalogue, as an activation does. */
  @Benchmark
  public List<PolicyProblem> loadAndCheckAgainstTheCatalogue() throws PolicyException {
    return catalogue.problems(PolicyLoader.load(policy, text, catalogue.firewall()), policy, text);
  }

  /** Reading and checking the shipped catalogue (56 types), as every store open does once. */
  @Benchmark
  public Catalogue readTheCatalogue() throws CatalogueException {
    return CatalogueReader.read("credo-default.yaml", catalogueText);
  }

  /**
   * The first load in a fresh JVM, as {@code credo policy check} sees it: includes loading and
   * initialising the YAML parser and the CEL compiler and runtime.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(5)
  public Policy firstLoadInAFreshJvm() throws PolicyException {
    return PolicyLoader.load(policy, text, catalogue.firewall());
  }
}
