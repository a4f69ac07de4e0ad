package org.credo.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.credo.policy.Policy;
import org.credo.records.Record;
import org.credo.scoring.Contribution;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.scoring.SubjectHistory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scoring one subject with 100 records under rongcheng-style.
 *
 * <ul>
 *   <li>{@code scorePrepared*}: the hot path — a {@link SubjectHistory} prepared when the records
 *       were accepted (expressions evaluated once per policy version), scored at an instant;
 *   <li>{@code scoreAndReadContributions*}: the same, then every itemized contribution read, as a
 *       report does;
 *   <li>{@code prepareAndScore*}: from raw records every time, expressions evaluated each call.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoringBenchmark {
  Policy rongcheng;
  Policy sesame;
  List<Record> constantRecords;
  List<Record> expressionRecords;
  List<Record> sesameRecords;
  SubjectHistory constantHistory;
  SubjectHistory expressionHistory;
  SubjectHistory sesameHistory;

  @Setup
  public void setUp() {
    rongcheng = BenchData.policy("rongcheng-style");
    sesame = BenchData.policy("sesame-style");
    constantRecords = BenchData.records(100, BenchData.CONSTANT_TYPES, 1);
    expressionRecords = BenchData.records(100, BenchData.EXPRESSION_TYPES, 2);
    sesameRecords =
        BenchData.records(
            100,
            List.of(
                "loan.repaid_on_time",
                "loan.repaid_late",
                "card.paid_on_time",
                "utility.bill_paid_on_time",
                "utility.fee_delayed",
                "contract.fulfilled",
                "identity.verified"),
            3);
    constantHistory = SubjectHistory.prepare(rongcheng, BenchData.SUBJECT, constantRecords);
    expressionHistory = SubjectHistory.prepare(rongcheng, BenchData.SUBJECT, expressionRecords);
    sesameHistory = SubjectHistory.prepare(sesame, BenchData.SUBJECT, sesameRecords);
  }

  @Benchmark
  public Score scorePreparedConstantPoints() {
    return Scorer.score(constantHistory, BenchData.NOW, BenchData.NOW);
  }

  @Benchmark
  public Score scorePreparedExpressionPoints() {
    return Scorer.score(expressionHistory, BenchData.NOW, BenchData.NOW);
  }

  @Benchmark
  public Score scorePreparedSesameFactors() {
    return Scorer.score(sesameHistory, BenchData.NOW, BenchData.NOW);
  }

  @Benchmark
  public void scoreAndReadContributionsConstantPoints(Blackhole bh) {
    Score s = Scorer.score(constantHistory, BenchData.NOW, BenchData.NOW);
    for (Contribution c : s.contributions()) {
      bh.consume(c);
    }
  }

  @Benchmark
  public Score prepareAndScoreConstantPoints() {
    return Scorer.score(
        rongcheng, BenchData.SUBJECT, constantRecords, BenchData.NOW, BenchData.NOW);
  }

  @Benchmark
  public Score prepareAndScoreExpressionPoints() {
    return Scorer.score(
        rongcheng, BenchData.SUBJECT, expressionRecords, BenchData.NOW, BenchData.NOW);
  }
}
