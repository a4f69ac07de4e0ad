package org.credo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.credo.decisions.Decider;
import org.credo.decisions.Purpose;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.records.Record;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credo demo}: for now, checks the three example policies that ship in the jar, scores the
 * sample records under each, and shows one subject's itemized report and a few decisions. Later it
 * becomes the embedded store and server demo.
 */
@Command(
    name = "demo",
    description =
        "Check the example policies, score the sample subjects under each, and show a report.")
final class DemoCommand implements Callable<Integer> {
  static final List<String> POLICIES =
      List.of("rongcheng-style.yaml", "sesame-style.yaml", "bureau-style.yaml");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description = "read policies and samples/records.ndjson from DIR instead of the jar")
  Path dir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Instant now = Credo.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Map<String, Policy> policies = new LinkedHashMap<>();
    out.println("Checking the example policies:");
    for (String name : POLICIES) {
      try {
        long start = System.nanoTime();
        Policy policy = PolicyLoader.load("policies/" + name, text(name));
        policies.put(name, policy);
        out.printf(
            Locale.ROOT,
            "  %-22s ok  %-40s %2d rules %2d purposes  (%d ms)%n",
            name,
            policy.title(),
            policy.rules().size(),
            policy.purposes().size(),
            (System.nanoTime() - start) / 1_000_000);
      } catch (PolicyException e) {
        throw new BadInput(e.getMessage());
      }
    }
    List<Record> records;
    try {
      records =
          Inputs.records(
              "samples/records.ndjson",
              new java.io.BufferedReader(new java.io.StringReader(text("samples/records.ndjson"))),
              now);
    } catch (IOException e) {
      throw new BadInput("cannot read samples/records.ndjson: " + e.getMessage());
    }
    Map<SubjectId, List<Record>> bySubject = new TreeMap<>();
    records.forEach(r -> bySubject.computeIfAbsent(r.subject(), s -> new ArrayList<>()).add(r));
    out.printf(
        Locale.ROOT,
        "%nScoring %d sample records of %d subjects as of %s:%n",
        records.size(),
        bySubject.size(),
        now);
    out.printf(Locale.ROOT, "  %-28s", "subject");
    policies.values().forEach(p -> out.printf(Locale.ROOT, " %-30s", p.id()));
    out.println();
    for (Map.Entry<SubjectId, List<Record>> e : bySubject.entrySet()) {
      out.printf(Locale.ROOT, "  %-28s", e.getKey());
      for (Policy p : policies.values()) {
        if (!p.subjects().contains(e.getKey().kind())) {
          out.printf(Locale.ROOT, " %-30s", "(persons only)");
          continue;
        }
        Score s = Scorer.score(p, e.getKey(), e.getValue(), now, now);
        String lists = s.listsInEffect().isEmpty() ? "" : " " + s.listsInEffect();
        out.printf(Locale.ROOT, " %-30s", ScoreText.num(s.value()) + " " + s.grade() + lists);
      }
      out.println();
    }
    SubjectId sample = SubjectId.parse("person:371082198506120049");
    Policy rongcheng = policies.get("rongcheng-style.yaml");
    Score score =
        Scorer.score(rongcheng, sample, bySubject.getOrDefault(sample, List.of()), now, now);
    out.printf("%nItemized report of one subject:%n");
    out.print(ScoreText.render(score));
    out.printf("%nDecisions for that subject (purpose binding: each sees only its domains):%n");
    for (String purpose : List.of("air_travel", "public_bike_deposit_waiver", "lending")) {
      out.print(ScoreText.render(Decider.decide(rongcheng, score, Purpose.of(purpose), false)));
    }
    out.printf(
        "%nTry: java -jar credo-cli/target/credo.jar score person:110105197803154025"
            + " --policy policies/sesame-style.yaml --records policies/samples/records.ndjson%n");
    return Credo.OK;
  }

  private String text(String name) {
    if (dir != null) {
      return Inputs.read(dir.resolve(name));
    }
    try (InputStream in = DemoCommand.class.getResourceAsStream("/policies/" + name)) {
      if (in == null) {
        throw new BadInput("policies/" + name + " is missing from the jar; rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInput("cannot read policies/" + name + ": " + e.getMessage());
    }
  }
}
