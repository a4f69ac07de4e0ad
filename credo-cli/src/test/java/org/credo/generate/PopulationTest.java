package org.credo.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.credo.policy.AttributeType;
import org.credo.policy.Policy;
import org.credo.policy.PolicyLoader;
import org.credo.policy.Rule;
import org.credo.records.Record;
import org.credo.records.RecordJson;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PopulationTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final int SUBJECTS = 2_000;
  static final List<String> POLICY_NAMES =
      List.of("rongcheng-style", "sesame-style", "bureau-style");

  static Map<String, Policy> policies = new LinkedHashMap<>();
  static List<String> lines;
  static Population.Summary summary;
  static List<Record> records;

  @BeforeAll
  static void generate() throws Exception {
    for (String name : POLICY_NAMES) {
      policies.put(
          name,
          PolicyLoader.load(
              name,
              Files.readString(Path.of("..", "policies", name + ".yaml")),
              org.credo.store.Catalogues.shipped().firewall()));
    }
    lines = new ArrayList<>();
    summary = Population.write(SUBJECTS, 42, NOW, lines::add);
    records = new ArrayList<>(lines.size());
    for (String line : lines) {
      records.add(RecordJson.parse(line, Optional.empty(), null, NOW));
    }
  }

  static List<String> generate(long subjects, long seed) {
    List<String> out = new ArrayList<>();
    Population.write(subjects, seed, NOW, out::add);
    return out;
  }

  @Test
  void everyLineParsesAndTheSummaryAddsUp() {
    assertThat(records).hasSize(lines.size());
    assertThat(summary.records()).isEqualTo(lines.size());
    assertThat(summary.subjects()).isEqualTo(SUBJECTS);
    assertThat(summary.persons() + summary.organisations()).isEqualTo(SUBJECTS);
    Set<SubjectId> subjects = records.stream().map(Record::subject).collect(Collectors.toSet());
    assertThat(subjects).hasSize(SUBJECTS);
    long orgs = subjects.stream().filter(s -> s.kind() == SubjectKind.ORG).count();
    assertThat(orgs).isEqualTo(summary.organisations());
    assertThat(orgs).isBetween(SUBJECTS * 3L / 100, SUBJECTS * 7L / 100);
    for (String line : lines) {
      assertThat(line).doesNotContain("\n").startsWith("{\"source\":");
    }
  }

  @Test
  void recordKeysAreUniqueAndEachSubjectsRecordsAreContiguous() {
    Set<String> keys = new HashSet<>();
    for (Record r : records) {
      assertThat(keys.add(r.key())).as("unique key %s", r.key()).isTrue();
    }
    Set<SubjectId> finished = new HashSet<>();
    SubjectId current = null;
    for (Record r : records) {
      if (!r.subject().equals(current)) {
        if (current != null) {
          finished.add(current);
        }
        assertThat(finished).doesNotContain(r.subject());
        current = r.subject();
      }
    }
  }

  @Test
  void subjectIdsAreValidResidentIdsAndCreditCodes() {
    DateTimeFormatter yyyymmdd = DateTimeFormatter.BASIC_ISO_DATE;
    int[] residentWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    Set<SubjectId> seen = new HashSet<>();
    for (Record r : records) {
      SubjectId s = r.subject();
      if (!seen.add(s)) {
        continue;
      }
      assertThat(SubjectId.parse(s.toString())).isEqualTo(s);
      String id = s.id();
      assertThat(id).hasSize(18);
      if (s.kind() == SubjectKind.PERSON) {
        assertThat(id).matches("[1-6][0-9]{16}[0-9X]");
        LocalDate born = LocalDate.parse(id.substring(6, 14), yyyymmdd);
        assertThat(born).isBetween(LocalDate.of(1950, 1, 1), LocalDate.of(2005, 12, 31));
        assertThat(id.substring(14, 17)).isNotEqualTo("000");
        int sum = 0;
        for (int i = 0; i < 17; i++) {
          sum += (id.charAt(i) - '0') * residentWeights[i];
        }
        assertThat(id.charAt(17)).isEqualTo("10X98765432".charAt(sum % 11));
      } else {
        assertThat(id).startsWith("9").matches("[0-9A-HJ-NP-RTUWXY]{18}");
        int sum = 0;
        int weight = 1;
        for (int i = 0; i < 17; i++) {
          sum += alphabet.indexOf(id.charAt(i)) * weight;
          weight = weight * 3 % 31;
        }
        assertThat(id.charAt(17)).isEqualTo(alphabet.charAt((31 - sum % 31) % 31));
      }
    }
    assertThat(seen).hasSize(SUBJECTS);
  }

  @Test
  void theSameSeedGivesTheSameOutputAndAnotherSeedDiffers() {
    List<String> again = generate(SUBJECTS, 42);
    assertThat(again).isEqualTo(lines);
    List<String> other = generate(SUBJECTS, 43);
    assertThat(other).isNotEqualTo(lines);
    List<String> fewer = generate(200, 43);
    assertThat(other.subList(0, fewer.size())).isEqualTo(fewer);
  }

  @Test
  void aboutTwentyFiveRecordsPerSubjectOnAverageAndTheCountVaries() {
    // About twenty recurring records, and a credit bureau file for about half the persons.
    double average = (double) records.size() / SUBJECTS;
    assertThat(average).isBetween(18.0, 32.0);
    Map<SubjectId, Long> counts =
        records.stream().collect(Collectors.groupingBy(Record::subject, Collectors.counting()));
    long min = counts.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(min).isLessThan(8);
    assertThat(max).isGreaterThan(35);
  }

  @Test
  void aFewPercentOfPersonsAreJudgmentDefaulters() {
    Set<SubjectId> persons = new HashSet<>();
    Set<SubjectId> defaulters = new HashSet<>();
    for (Record r : records) {
      if (r.subject().kind() == SubjectKind.PERSON) {
        persons.add(r.subject());
        if (r.type().value().equals("court.judgment_defaulter")) {
          defaulters.add(r.subject());
        }
      }
    }
    double share = (double) defaulters.size() / persons.size();
    assertThat(share).isBetween(0.01, 0.06);
  }

  @Test
  void correctionsAndRetractionsNameAnEarlierRecordOfTheSameSourceAndSubject() {
    Map<String, Record> earlier = new HashMap<>();
    int corrections = 0;
    int retractions = 0;
    for (Record r : records) {
      Optional<String> link = r.supersedes().or(r::retracts);
      if (link.isPresent()) {
        Record target = earlier.get(r.source().value() + "/" + link.get());
        assertThat(target).as("target of %s", r.key()).isNotNull();
        assertThat(target.subject()).isEqualTo(r.subject());
        assertThat(target.source()).isEqualTo(r.source());
        assertThat(r.learned()).isAfterOrEqualTo(target.learned());
        if (r.supersedes().isPresent()) {
          corrections++;
        } else {
          retractions++;
          assertThat(r.type()).isEqualTo(target.type());
        }
      }
      earlier.put(r.key(), r);
    }
    assertThat(corrections).isGreaterThan(10);
    assertThat(retractions).isGreaterThan(10);
  }

  @Test
  void nothingHappensInTheFutureOrMoreThanFiveYearsAgoButAccountOpenings() {
    Instant fiveYearsAgo = NOW.atZone(ZoneOffset.UTC).minusYears(5).toInstant();
    Instant tenYearsAgo = NOW.atZone(ZoneOffset.UTC).minusYears(10).toInstant();
    for (Record r : records) {
      // A credit history's length: accounts opened up to ten years ago (their retention).
      boolean opening =
          r.type().value().equals("account.opened") || r.type().value().startsWith("account.mix_");
      assertThat(r.occurred()).isBetween(opening ? tenYearsAgo : fiveYearsAgo, NOW);
      assertThat(r.learned()).isBetween(r.occurred(), NOW);
    }
    assertThat(records.stream().filter(r -> r.learned().isAfter(r.occurred())).count())
        .isGreaterThan(100);
  }

  @Test
  void everyTypeIsKnownToAnExamplePolicyAndCarriesTheDeclaredAttributes() {
    Map<String, Long> types = new TreeMap<>();
    for (Record r : records) {
      types.merge(r.type().value(), 1L, Long::sum);
      List<Rule> rules =
          policies.values().stream().flatMap(p -> p.rule(r.type()).stream()).toList();
      assertThat(rules).as("a policy with a rule for %s", r.type()).isNotEmpty();
      for (Rule rule : rules) {
        for (Map.Entry<String, AttributeType> a : rule.attributes().entrySet()) {
          Object value = r.attributes().get(a.getKey());
          assertThat(value).as("%s attribute %s", r.key(), a.getKey()).isNotNull();
          assertThat(a.getValue().accepts(value)).as("%s %s", r.key(), a.getKey()).isTrue();
        }
      }
    }
    // The mix covers the three policies' vocabularies broadly.
    Set<String> known = new HashSet<>();
    policies.values().forEach(p -> p.rules().forEach(rule -> known.add(rule.type().value())));
    assertThat(types.keySet()).hasSizeGreaterThan(known.size() * 3 / 4);
  }

  @Test
  void everyRecordComesFromAListedSourceUnderOneOfItsPrefixes() {
    Map<String, Population.Source> sources = new HashMap<>();
    Population.sources().forEach(s -> sources.put(s.id(), s));
    assertThat(sources).hasSize(Population.sources().size());
    Set<String> used = new HashSet<>();
    for (Record r : records) {
      Population.Source source = sources.get(r.source().value());
      assertThat(source).as("source of %s", r.key()).isNotNull();
      assertThat(source.typePrefixes())
          .as("%s from %s", r.type(), r.source())
          .anyMatch(prefix -> r.type().value().startsWith(prefix));
      assertThat(source.covers(r.type().value())).isTrue();
      used.add(source.id());
    }
    assertThat(used).isEqualTo(sources.keySet());
  }

  @Test
  void organisationsOnlyGetTypesThePointLedgerScores() {
    Policy rongcheng = policies.get("rongcheng-style");
    assertThat(rongcheng.subjects()).contains(SubjectKind.ORG);
    int count = 0;
    for (Record r : records) {
      if (r.subject().kind() == SubjectKind.ORG) {
        count++;
        assertThat(rongcheng.rule(r.type())).as("%s for an organisation", r.type()).isPresent();
        assertThat(r.type().segments().get(0)).isIn("commerce", "utility", "court", "contract");
      }
    }
    assertThat(count).isPositive();
  }

  @Test
  void mostPersonsAreInGoodStandingAndDefaultersAreListed() {
    Policy rongcheng = policies.get("rongcheng-style");
    Map<SubjectId, List<Record>> bySubject = new LinkedHashMap<>();
    records.forEach(r -> bySubject.computeIfAbsent(r.subject(), s -> new ArrayList<>()).add(r));
    int persons = 0;
    int gradeAOrBetter = 0;
    int listed = 0;
    Map<String, Integer> grades = new TreeMap<>();
    for (Map.Entry<SubjectId, List<Record>> e : bySubject.entrySet()) {
      Score score = Scorer.score(rongcheng, e.getKey(), e.getValue(), NOW, NOW);
      if (e.getKey().kind() != SubjectKind.PERSON) {
        continue;
      }
      persons++;
      grades.merge(score.grade().name(), 1, Integer::sum);
      if (score.value() >= 960) {
        gradeAOrBetter++;
      }
      if (score.listsInEffect().contains("judgment-defaulters")) {
        listed++;
      }
    }
    assertThat(gradeAOrBetter).as("grades %s", grades).isGreaterThan(persons * 3 / 4);
    assertThat(listed).isPositive().isLessThan(persons * 6 / 100);
  }

  @Test
  void refusesAnEmptyPopulation() {
    assertThatThrownBy(() -> Population.write(0, 1, NOW, line -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twentyThousandSubjectsStreamWithoutKeepingThem() {
    AtomicLong count = new AtomicLong();
    AtomicLong chars = new AtomicLong();
    Population.Summary big =
        Population.write(
            20_000,
            7,
            NOW,
            line -> {
              count.incrementAndGet();
              chars.addAndGet(line.length());
            });
    assertThat(big.records()).isEqualTo(count.get()).isGreaterThan(20_000L * 15);
  }

  // --- the command ------------------------------------------------------------------------------

  record Run(int exit, String out, String err) {}

  static Run generateCommand(String... args) {
    GenerateCommand.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new GenerateCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theCommandWritesTheFileAndOneSummaryLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("population.ndjson");
    Run run = generateCommand("--subjects", "50", "--seed", "9", "--out", file.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("generated 50 subjects").contains(file.toString());
    assertThat(run.out().lines()).hasSize(1);
    List<String> written = Files.readAllLines(file);
    assertThat(written).isEqualTo(generate(50, 9));
    try (var listing = Files.list(dir)) {
      assertThat(listing.toList()).containsExactly(file);
    }
    byte[] first = Files.readAllBytes(file);
    assertThat(generateCommand("--subjects", "50", "--seed", "9", "--out", file.toString()).exit())
        .isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(first);
  }

  @Test
  void theCommandRefusesBadUsageWithExitTwo(@TempDir Path dir) throws IOException {
    Run none = generateCommand("--subjects", "0", "--out", dir.resolve("p.ndjson").toString());
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).startsWith("credo: --subjects");
    Run noFolder =
        generateCommand("--subjects", "5", "--out", dir.resolve("missing/p.ndjson").toString());
    assertThat(noFolder.exit()).isEqualTo(2);
    assertThat(noFolder.err()).startsWith("credo: ");
    Run folder = generateCommand("--subjects", "5", "--out", dir.toString());
    assertThat(folder.exit()).isEqualTo(2);
    try (var listing = Files.list(dir)) {
      assertThat(listing.toList()).isEmpty();
    }
  }
}
