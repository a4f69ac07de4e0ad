package org.credo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.credo.access.Parties;
import org.credo.access.Party;
import org.credo.access.Role;
import org.credo.access.Tokens;
import org.credo.engine.Distribution;
import org.credo.engine.Engine;
import org.credo.generate.Population;
import org.credo.ingest.ImportSummary;
import org.credo.ingest.Importer;
import org.credo.ingest.Reject;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.Purpose;
import org.credo.records.SourceId;
import org.credo.scoring.Score;
import org.credo.server.CredoServer;
import org.credo.server.ServerConfig;
import org.credo.store.SourceRegistration;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.credo.subject.SubjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credo demo}: creates an embedded store (in a temporary folder unless {@code --data} is
 * given), registers the demo sources, activates the three example policies, imports a generated
 * population, and prints each policy's grade distribution and one subject's itemized report. Then,
 * unless {@code --no-serve}, it serves the API and the web UI on that store until Ctrl-C, with two
 * relying parties registered and fresh tokens for the sample subject and an operator, and prints
 * the pages' addresses (the tokens ride in the address's fragment, which never reaches a server).
 */
@Command(
    name = "demo",
    description =
        "Create a store with a synthetic population, score it under the example policies and"
            + " show the grade distribution and one subject's itemized report; then serve the API"
            + " and the web UI on it until Ctrl-C (unless --no-serve).")
final class DemoCommand implements Callable<Integer> {
  static final List<String> POLICIES =
      List.of("rongcheng-style.yaml", "sesame-style.yaml", "bureau-style.yaml");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--subjects",
      paramLabel = "N",
      defaultValue = "100000",
      description = "how many subjects to generate (default: ${DEFAULT-VALUE})")
  long subjects;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "generator seed")
  long seed;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "the store folder (default: a new temporary folder)")
  Path dir;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "the web UI and API port (default: 8080, or any free port if it is taken)")
  Integer port;

  @Option(
      names = "--no-serve",
      description = "stop after the report instead of serving the web UI (for scripts and tests)")
  boolean noServe;

  /**
   * Where the demo keeps its sample subject, so a second run on the same store finds it: sealed
   * with the store's data key, as every identifier Credo keeps (no raw identifier at rest).
   */
  static final String SAMPLE_FILE = "demo-subject.sealed";

  private static final byte[] SAMPLE_AAD = "credo demo sample".getBytes(StandardCharsets.UTF_8);

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port != null && (port < 0 || port > 65535)) {
      throw new BadInput("--port must be between 0 and 65535");
    }
    Path folder = dir != null ? dir : Files.createTempDirectory("credo-demo-");
    String sample = prepare(folder);
    if (noServe) {
      return Credo.OK;
    }
    return serve(folder, sample);
  }

  /** Creates or opens the store, imports the population if empty; returns a sample subject. */
  private String prepare(Path folder) throws IOException {
    if (subjects < 1 || subjects > Population.MAX_SUBJECTS) {
      throw new BadInput("--subjects must be between 1 and " + Population.MAX_SUBJECTS);
    }
    PrintWriter out = spec.commandLine().getOut();
    Instant now = Credo.clock.instant().truncatedTo(ChronoUnit.SECONDS);
    try (Store store = openStore(folder);
        CliApplication cli = CliApplication.over(store)) {
      Engine engine = cli.app().engine();
      out.printf("Credo demo store: %s%n", folder.toAbsolutePath());
      for (String name : POLICIES) {
        long start = System.nanoTime();
        Policy policy;
        try {
          policy = engine.activate("policies/" + name, text(name), now);
        } catch (PolicyException e) {
          throw new BadInput(e.getMessage());
        }
        out.printf(
            Locale.ROOT,
            "  activated %-22s %-44s (%d ms)%n",
            policy.ref(),
            policy.title(),
            (System.nanoTime() - start) / 1_000_000);
      }
      for (Population.Source source : Population.sources()) {
        store
            .sources()
            .put(
                new SourceRegistration(
                    SourceId.of(source.id()),
                    source.typePrefixes(),
                    now,
                    java.util.Optional.of(source.kind())));
      }
      String[] sample = {null};
      String[] anyone = {null};
      // The in-memory index: rebuilt from the store, then kept current by the import.
      Engine.IndexFigures index = engine.buildIndex(now);
      if (store.recordCount() == 0) {
        Path file = folder.resolve("population-" + subjects + ".ndjson");
        long started = System.nanoTime();
        Instant listedSince = now.minus(300, ChronoUnit.DAYS);
        Population.Summary generated =
            Population.writeFile(
                subjects,
                seed,
                now,
                file,
                line -> {
                  if (anyone[0] == null) {
                    anyone[0] = Wire.field(line, "subject");
                  }
                  // Show someone currently on the defaulter list: listed within the last year.
                  if (sample[0] == null
                      && line.contains("court.judgment_defaulter")
                      && !line.contains("\"retracts\"")
                      && String.valueOf(Wire.field(line, "occurred"))
                              .compareTo(listedSince.toString())
                          > 0) {
                    sample[0] = Wire.field(line, "subject");
                  }
                });
        out.printf(
            Locale.ROOT,
            "  generated %,d subjects (%,d persons, %,d organisations), %,d records in %.1f s%n",
            generated.subjects(),
            generated.persons(),
            generated.organisations(),
            generated.records(),
            (System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        List<Reject> rejects = new ArrayList<>();
        ImportSummary summary;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          summary =
              new Importer(
                      store,
                      engine.activePolicies(now),
                      Credo.clock,
                      Importer.Options.defaults(),
                      engine::accepted)
                  .run(reader, Importer.Format.NDJSON, rejects::add, lines -> {});
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        cli.audit(
            "import",
            null,
            "demo population lines="
                + summary.lines()
                + " accepted="
                + summary.accepted()
                + " rejected="
                + summary.rejected());
        out.printf(
            Locale.ROOT,
            "  imported %s in %.1f s (%,.0f records/s)%n",
            summary,
            seconds,
            summary.lines() / seconds);
        rejects.stream().limit(3).forEach(r -> out.println("    rejected " + r));
        Files.delete(file);
        String chosen = sample[0] != null ? sample[0] : anyone[0];
        if (chosen != null) {
          Files.write(folder.resolve(SAMPLE_FILE), store.keys().seal(chosen, SAMPLE_AAD));
        }
      } else {
        out.printf(
            Locale.ROOT,
            "  the store already holds %,d records (index rebuilt in %.1f s)%n",
            store.recordCount(),
            index.seconds());
      }
      Engine.IndexFigures figures = engine.trimIndex();
      out.printf(
          Locale.ROOT,
          "  in-memory index: %,d subjects, %,d records, %,d MB (%.1f bytes a record for %d"
              + " policies)%n",
          figures.subjects(),
          figures.records(),
          figures.bytes() >> 20,
          figures.bytesPerRecord(),
          figures.policies().size());
      // Score as of now, after the import: what Credo has just learned counts.
      Instant scoredAt = Credo.clock.instant();
      for (Policy policy : engine.activePolicies(scoredAt)) {
        long started = System.nanoTime();
        Distribution d = engine.distribution(policy, scoredAt);
        out.printf(
            Locale.ROOT,
            "%nGrades under %s: %,d subjects, %,d records, mean score %.1f (rescored in %.1f s)%n",
            policy.ref(),
            d.subjects(),
            d.records(),
            d.mean(),
            (System.nanoTime() - started) / 1e9);
        if (d.unscorable() > 0) {
          // Shares of the scored subjects; the unscorable are their own count, never a band.
          out.printf(
              Locale.ROOT,
              "  unscorable   %,9d  %5.1f%% of all: %s%n",
              d.unscorable(),
              100.0 * d.unscorable() / d.subjects(),
              policy.scorable().map(c -> c.statement()).orElse(""));
        }
        d.grades()
            .forEach(
                (grade, count) ->
                    out.printf(
                        Locale.ROOT,
                        "  %-12s %,9d  %5.1f%%  %s%n",
                        grade,
                        count,
                        d.scored() == 0 ? 0 : 100.0 * count / d.scored(),
                        "#"
                            .repeat(
                                (int)
                                    Math.round(d.scored() == 0 ? 0 : 50.0 * count / d.scored()))));
        if (policy.id().equals("bureau-style") && d.scored() > 0) {
          // Against FICO's national distribution of scorable consumers (Federal Reserve, 2007).
          double[] from = {300, 500, 550, 600, 650, 700, 750, 800};
          int[] fico = {2, 5, 8, 12, 15, 18, 27, 13};
          out.println(
              bands(
                  "FICO bands of the scored (FICO's share):",
                  from,
                  engine.bandCounts(policy, scoredAt, from),
                  d.scored(),
                  fico));
        }
        if (policy.id().equals("sesame-style") && d.scored() > 0) {
          // The real one's users mostly score 600-700, with a long tail above.
          double[] from = {350, 550, 600, 650, 700, 750, 800};
          out.println(
              bands(
                  "bands of the scored:",
                  from,
                  engine.bandCounts(policy, scoredAt, from),
                  d.scored(),
                  null));
        }
        d.lists()
            .forEach((list, count) -> out.printf(Locale.ROOT, "  on list %s: %,d%n", list, count));
        // Entries of records learned just now wait out their notice period: the subjects are
        // told first (see the notifications), and the entries take effect after it.
        policy
            .lists()
            .values()
            .forEach(
                def -> {
                  if (def.kind() != org.credo.lists.ListKind.BLACK || def.notice().isZero()) {
                    return;
                  }
                  long inNotice =
                      engine.listMembers(policy, def.name(), scoredAt, def.notice()).stream()
                          .filter(m -> m.entries().stream().noneMatch(e -> e.inEffectAt(scoredAt)))
                          .count();
                  if (inNotice > 0) {
                    out.printf(
                        Locale.ROOT,
                        "  in notice for list %s: %,d (notified; in effect after %s unless"
                            + " disputed)%n",
                        def.name(),
                        inNotice,
                        def.notice());
                  }
                });
      }
      if (sample[0] != null) {
        SubjectId subject = SubjectId.parse(sample[0]);
        out.printf("%nItemized report of one subject:%n");
        for (Score s : engine.scores(subject, scoredAt, scoredAt)) {
          out.print(ScoreText.render(s));
        }
        out.printf(
            "%nTry: java -jar credo-cli/target/credo.jar report %s --data %s%n", subject, folder);
      }
    }
    Path saved = folder.resolve(SAMPLE_FILE);
    return Files.exists(saved)
        ? org.credo.store.Keys.inFolder(folder, false).open(Files.readAllBytes(saved), SAMPLE_AAD)
        : null;
  }

  /**
   * Serves the store as {@code credo serve --data FOLDER --port PORT} would, after registering the
   * demo's relying parties and creating a subject and an operator token, until Ctrl-C.
   */
  private int serve(Path folder, String sample) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Instant now = Credo.clock.instant();
    String subjectToken = null;
    String operatorToken;
    try (Store store = openStore(folder)) {
      Parties parties = new Parties(store.dataSource());
      parties.put(
          new Party(
              "landlord",
              Set.of(Purpose.of("rental_deposit_waiver"), Purpose.of("tenant_screening")),
              now));
      parties.put(new Party("city-airline", Set.of(Purpose.of("air_travel")), now));
      Tokens tokens = new Tokens(store, Duration.ZERO);
      operatorToken =
          tokens.create(Role.OPERATOR, Optional.empty(), Optional.empty(), now).secret();
      if (sample != null) {
        subjectToken =
            tokens.create(Role.SUBJECT, Optional.of(sample), Optional.empty(), now).secret();
      }
    }
    ServerConfig cfg = config(folder, port == null ? 8080 : port);
    CredoServer server;
    try {
      server = CredoServer.start(cfg, Credo.clock);
    } catch (RuntimeException e) {
      if (port != null) {
        throw new BadInput(
            "cannot serve on port " + port + " (try --port 0 or --no-serve): " + e.getMessage());
      }
      // 8080 is taken: a newcomer's demo still comes up, on whatever port is free.
      cfg = config(folder, 0);
      server = CredoServer.start(cfg, Credo.clock);
    }
    String base = "http://" + cfg.host() + ":" + server.port();
    out.printf("%nThe web UI is at %s/ (Ctrl-C stops it). Open:%n", base);
    if (subjectToken != null) {
      out.printf(
          "  subject portal (as %s): %s/portal.html#subject=%s&token=%s%n",
          sample, base, sample, subjectToken);
    }
    out.printf("  operator console:        %s/console.html#token=%s%n", base, operatorToken);
    out.printf("  certificate verifier:    %s/verify.html%n", base);
    out.printf(
        "The tokens were created for this demo (credo token list/revoke --data %s).%n", folder);
    out.flush();
    return ServeCommand.serveUntilStopped(server);
  }

  private static ServerConfig config(Path folder, int port) {
    try {
      // Not the environment: the demo's store is the SQLite folder, whatever CREDO_JDBC_URL says.
      return ServerConfig.load(
          Optional.empty(),
          Map.of(),
          Map.of("data", folder.toString(), "port", Integer.toString(port)));
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
  }

  private static Store openStore(Path folder) {
    try {
      return Store.openFolder(folder, true);
    } catch (StoreException e) {
      throw new BadInput(e.getMessage());
    }
  }

  private static String text(String name) {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/policies/" + name)) {
      if (in == null) {
        throw new BadInput("policies/" + name + " is missing from the jar; rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInput("cannot read policies/" + name + ": " + e.getMessage());
    }
  }

  /** One line of band shares ({@code from} the lower bounds), with a reference share each. */
  static String bands(String title, double[] from, long[] counts, long scored, int[] reference) {
    StringBuilder line = new StringBuilder("  ").append(title);
    for (int b = 0; b < from.length; b++) {
      String name =
          b == 0
              ? "<" + (int) from[1]
              : b == from.length - 1
                  ? (int) from[b] + "+"
                  : (int) from[b] + "–" + ((int) from[b + 1] - 1);
      line.append(String.format(Locale.ROOT, " %s %.1f%%", name, 100.0 * counts[b] / scored));
      if (reference != null) {
        line.append(String.format(Locale.ROOT, " (%d%%)", reference[b]));
      }
    }
    return line.toString();
  }
}
