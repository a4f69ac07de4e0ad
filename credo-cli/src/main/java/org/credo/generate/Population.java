package org.credo.generate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic synthetic population: persons with valid PRC resident ids and about 5 %
 * organisations with valid unified social credit codes, each with about twenty records from the
 * {@link #sources() sources} over the five years before {@code now}, and for about half the persons
 * a credit bureau file besides (accounts opened up to ten years ago: the length of a history).
 *
 * <p>Each person has a latent risk, and everything about them is drawn from it: how many of their
 * recurring records are negative, their bureau file (history length, utilisation, inquiries, late
 * payments), and what happens next (a serious delinquency in the last year is likelier the riskier
 * the person). Under the shipped policies the bureau-style band shares of scored persons are within
 * five points of FICO's national distribution, with the bad rate falling band by band ({@code
 * RealisticPopulationTest}).
 *
 * <p>Every record type is one that at least one example policy has a rule for, with the attributes
 * that rule declares; organisations only get types the Rongcheng-style ledger (which scores
 * organisations) knows. Most subjects are mostly positive; a few percent of persons are on the
 * judgment-defaulter list. Some records are later corrected ({@code supersedes}) or retracted
 * ({@code retracts}) by the same source; such a record always follows the one it names and is about
 * the same subject.
 *
 * <p>Subjects are generated one at a time, each from its own random stream derived from the seed
 * and its sequence number, so memory stays constant and the same seed gives byte-identical output.
 *
 * <p>Why this class is long (~960 lines): it holds the synthetic population's life stories — eleven
 * sources' record patterns, identifiers with valid check digits — as data and small generators; it
 * is demo and benchmark input, not product logic.
 */
public final class Population {
  /** A data provider and the record-type prefixes it may report under. */
  public record Source(String id, String kind, List<String> typePrefixes) {
    public Source {
      requireNonNull(id, "id is null");
      requireNonNull(kind, "kind is null");
      typePrefixes = List.copyOf(typePrefixes);
    }

    /** True when {@code type} lies under one of this source's prefixes. */
    public boolean covers(String type) {
      for (String prefix : typePrefixes) {
        if (type.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }
  }

  /** What {@link #write} produced. */
  public record Summary(long subjects, long persons, long organisations, long records) {}

  /** The largest population {@link #write} accepts (subject ids stay unique up to it). */
  public static final long MAX_SUBJECTS = 100_000_000L;

  static final String CITY_BANK = "city-bank";
  static final String CONSUMER_FINANCE = "consumer-finance";
  static final String BUREAU_FURNISHER = "bureau-furnisher";
  static final String COURT = "court-enforcement";
  static final String UTILITIES = "city-utilities";
  static final String TRAFFIC = "traffic-police";
  static final String VOLUNTEERS = "volunteer-registry";
  static final String MARKET = "market-regulator";
  static final String RENTALS = "rental-platform";
  static final String ID_BUREAU = "id-bureau";
  static final String ENDORSEMENTS = "endorsements";

  private static final List<Source> SOURCES =
      List.of(
          new Source(CITY_BANK, "bank", List.of("bank.", "loan.", "card.", "account.", "credit.")),
          new Source(CONSUMER_FINANCE, "lender", List.of("loan.", "lending.", "credit.")),
          new Source(BUREAU_FURNISHER, "bureau", List.of("account.")),
          new Source(COURT, "court", List.of("court.")),
          new Source(UTILITIES, "utility", List.of("utility.")),
          new Source(TRAFFIC, "police", List.of("traffic.")),
          new Source(VOLUNTEERS, "registry", List.of("volunteer.", "civic.")),
          new Source(MARKET, "regulator", List.of("commerce.", "contract.", "finance.")),
          new Source(RENTALS, "platform", List.of("rental.", "contract.")),
          new Source(ID_BUREAU, "identity", List.of("identity.")),
          new Source(ENDORSEMENTS, "platform", List.of("endorsement.")));

  /** Short codes used in record ids, e.g. {@code cb-42-7}; ids are unique per source. */
  private static final Map<String, String> ID_CODES =
      Map.ofEntries(
          Map.entry(CITY_BANK, "cb"),
          Map.entry(CONSUMER_FINANCE, "cf"),
          Map.entry(BUREAU_FURNISHER, "bf"),
          Map.entry(COURT, "ce"),
          Map.entry(UTILITIES, "cu"),
          Map.entry(TRAFFIC, "tp"),
          Map.entry(VOLUNTEERS, "vr"),
          Map.entry(MARKET, "mr"),
          Map.entry(RENTALS, "rp"),
          Map.entry(ID_BUREAU, "ib"),
          Map.entry(ENDORSEMENTS, "en"));

  /** County-level division codes and the one-character province names used in case numbers. */
  private static final String[][] AREAS = {
    {"370102", "Lu"}, {"370202", "Lu"}, {"370602", "Lu"}, {"371002", "Lu"}, {"371082", "Lu"},
    {"110105", "Jing"}, {"110108", "Jing"}, {"120101", "Jin"}, {"310104", "Hu"}, {"310115", "Hu"},
    {"320324", "Su"}, {"320506", "Su"}, {"320583", "Su"}, {"330106", "Zhe"}, {"330212", "Zhe"},
    {"420106", "E"}, {"440106", "Yue"}, {"440305", "Yue"}, {"440306", "Yue"}, {"500103", "Yu"},
    {"510107", "Chuan"}, {"610113", "Shaan"}
  };

  private static final LocalDate BORN_FROM = LocalDate.of(1950, 1, 1);
  private static final int BIRTH_DAYS =
      (int) ChronoUnit.DAYS.between(BORN_FROM, LocalDate.of(2006, 1, 1));
  private static final int SEQUENCES = 999; // 001 to 999
  private static final long PERSON_SPACE = (long) AREAS.length * BIRTH_DAYS * SEQUENCES;

  static final String USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] USCC_WEIGHTS = new int[17];
  private static final long ORG_SPACE = 31L * 31 * 31 * 31 * 31 * 31;
  private static final int[] ORG_CODE_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};
  private static final int[] RESIDENT_WEIGHTS = {
    7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
  };
  private static final String RESIDENT_CHECK = "10X98765432";

  static {
    int w = 1;
    for (int i = 0; i < 17; i++) {
      USCC_WEIGHTS[i] = w;
      w = (w * 3) % 31;
    }
  }

  private static final double ORG_SHARE = 0.05;
  private static final long DAY = 86_400L;
  private static final JsonFactory JSON = new JsonFactory();
  private static final String[] DEFAULTER_GROUNDS = {
    "able_to_perform_but_refuses",
    "obstructs_enforcement",
    "hides_assets",
    "violates_asset_reporting",
    "violates_consumption_restriction",
    "refuses_settlement"
  };

  private Population() {}

  /** The data providers the population's records come from. */
  public static List<Source> sources() {
    return SOURCES;
  }

  /**
   * Writes the population to {@code file}, one record a line (UTF-8, {@code \n}), showing each line
   * to {@code peek} first (pass {@code line -> {}} to ignore them).
   *
   * @throws IOException when the file cannot be written
   */
  public static Summary writeFile(
      long subjects, long seed, Instant now, java.nio.file.Path file, Consumer<String> peek)
      throws java.io.IOException {
    try (java.io.BufferedWriter writer =
        java.nio.file.Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
      return write(
          subjects,
          seed,
          now,
          line -> {
            peek.accept(line);
            try {
              writer.write(line);
              writer.write('\n');
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Generates {@code subjects} subjects and hands each record to {@code ndjsonLine} as one line of
   * JSON (no line break). Subjects come one after another; a subject's records come in the order
   * they occurred, followed by its corrections and retractions in the order they were learned. Each
   * line parses with {@code RecordJson.parse(line, Optional.empty(), null, now)}. Whatever {@code
   * ndjsonLine} throws (an {@link UncheckedIOException}, say) stops the generation.
   *
   * @param seed the same seed, count and {@code now} give the same lines
   * @param now no record occurred or was learned after it; records span the five years before it
   *     (account openings: the ten years before it)
   * @throws IllegalArgumentException when {@code subjects} is not between 1 and {@link
   *     #MAX_SUBJECTS}
   */
  public static Summary write(long subjects, long seed, Instant now, Consumer<String> ndjsonLine) {
    requireNonNull(now, "now is null");
    requireNonNull(ndjsonLine, "ndjsonLine is null");
    if (subjects < 1 || subjects > MAX_SUBJECTS) {
      throw new IllegalArgumentException(
          "subjects must be between 1 and " + MAX_SUBJECTS + ", not " + subjects);
    }
    Instant end = now.truncatedTo(ChronoUnit.SECONDS);
    Instant start = end.atZone(ZoneOffset.UTC).minusYears(5).toInstant();
    SplittableRandom ids = new SplittableRandom(mix64(seed ^ 0x5DEECE66DL));
    long personA = coprime(1 + ids.nextLong(PERSON_SPACE - 1), PERSON_SPACE);
    long personB = ids.nextLong(PERSON_SPACE);
    long orgA = coprime(1 + ids.nextLong(ORG_SPACE - 1), ORG_SPACE);
    long orgB = ids.nextLong(ORG_SPACE);
    long seedHash = mix64(seed);
    StringWriter buffer = new StringWriter(512);
    long persons = 0;
    long records = 0;
    for (long i = 0; i < subjects; i++) {
      SplittableRandom rng = new SplittableRandom(mix64(seedHash + i * 0x9E3779B97F4A7C15L));
      Subject s = new Subject(rng, i, start, end);
      if (rng.nextDouble() < ORG_SHARE) {
        s.organisation((orgA * i + orgB) % ORG_SPACE);
      } else {
        s.person((personA * i + personB) % PERSON_SPACE);
        persons++;
      }
      for (Rec r : s.ordered()) {
        ndjsonLine.accept(json(r, s.id, buffer));
        records++;
      }
    }
    return new Summary(subjects, persons, subjects - persons, records);
  }

  // --- subject ids ------------------------------------------------------------------------------

  /** The 18-character resident id numbered {@code x} in [0, PERSON_SPACE). */
  static String residentId(long x) {
    int sequence = (int) (x % SEQUENCES) + 1;
    x /= SEQUENCES;
    LocalDate born = BORN_FROM.plusDays(x % BIRTH_DAYS);
    String area = AREAS[(int) (x / BIRTH_DAYS)][0];
    String first17 =
        area
            + String.format(
                "%04d%02d%02d%03d",
                born.getYear(), born.getMonthValue(), born.getDayOfMonth(), sequence);
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * RESIDENT_WEIGHTS[i];
    }
    return first17 + RESIDENT_CHECK.charAt(sum % 11);
  }

  /**
   * A unified social credit code whose organisation code ends in the six characters of {@code x}.
   */
  static String creditCode(long x, char kind, String area) {
    StringBuilder body = new StringBuilder("MA");
    char[] tail = new char[6];
    for (int i = 5; i >= 0; i--) {
      tail[i] = USCC_ALPHABET.charAt((int) (x % 31));
      x /= 31;
    }
    body.append(tail);
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      char c = body.charAt(i);
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      sum += value * ORG_CODE_WEIGHTS[i];
    }
    int check = 11 - sum % 11;
    body.append(check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check));
    String first17 = "9" + kind + area + body;
    int total = 0;
    for (int i = 0; i < 17; i++) {
      total += USCC_ALPHABET.indexOf(first17.charAt(i)) * USCC_WEIGHTS[i];
    }
    return first17 + USCC_ALPHABET.charAt((31 - total % 31) % 31);
  }

  // --- one subject ------------------------------------------------------------------------------

  /** How reliable a subject is: the share of its recurring records that are negative. */
  private enum Profile {
    GOOD(0.02),
    FAIR(0.08),
    TROUBLED(0.22),
    DEFAULTER(0.30);

    final double bad;

    Profile(double bad) {
      this.bad = bad;
    }

    boolean troubled() {
      return this == TROUBLED || this == DEFAULTER;
    }
  }

  /** The recurring activities a subject's records come from. */
  private enum Activity {
    UTILITY,
    CARD,
    ACCOUNT,
    LOAN,
    VOLUNTEERING,
    DRIVING,
    RENTAL,
    ENDORSEMENT,
    MARKET
  }

  /** One record before it is written; mutable only while its subject is being generated. */
  private static final class Rec {
    final String source;
    final String id;
    final String type;
    final Instant occurred;
    final boolean dateOnly;
    final Map<String, Object> attributes = new LinkedHashMap<>(4);
    Instant learned;
    String evidence;
    String supersedes;
    String retracts;

    Rec(String source, String id, String type, Instant occurred, boolean dateOnly) {
      this.source = source;
      this.id = id;
      this.type = type;
      this.occurred = dateOnly ? occurred.truncatedTo(ChronoUnit.DAYS) : occurred;
      this.dateOnly = dateOnly;
    }

    Instant visible() {
      return learned == null ? occurred : learned;
    }
  }

  private static final class Subject {
    final SplittableRandom rng;
    final long seq;
    final Instant start;
    final Instant end;
    final long span;
    final List<Rec> records = new ArrayList<>(32);
    final List<Rec> followUps = new ArrayList<>(4);
    String id;
    String area;
    String province;
    Profile profile;
    double risk;
    int counter;

    /**
     * Records that do not count against the budget of recurring records (most of a bureau file).
     */
    int outsideBudget;

    Subject(SplittableRandom rng, long seq, Instant start, Instant end) {
      this.rng = rng;
      this.seq = seq;
      this.start = start;
      this.end = end;
      this.span = end.getEpochSecond() - start.getEpochSecond();
    }

    /** Base records by occurrence, then corrections and retractions by when they were learned. */
    List<Rec> ordered() {
      records.sort(Comparator.comparing((Rec r) -> r.occurred));
      followUps.sort(Comparator.comparing(Rec::visible));
      List<Rec> all = new ArrayList<>(records.size() + followUps.size());
      all.addAll(records);
      all.addAll(followUps);
      return all;
    }

    // --- persons --------------------------------------------------------------------------------

    void person(long number) {
      String resident = residentId(number);
      id = "person:" + resident;
      pickArea(resident.substring(0, 6));
      // The latent risk: everything about the person's conduct, and what happens to them later,
      // is drawn from it (riskier persons miss more payments, and default more often next year).
      risk = rng.nextDouble();
      profile =
          risk > 0.968
              ? Profile.DEFAULTER
              : risk > 0.92 ? Profile.TROUBLED : risk > 0.75 ? Profile.FAIR : Profile.GOOD;
      int budget = budget();

      if (chance(0.9)) {
        Rec r = add(ID_BUREAU, "identity.verified", anyTime(), false);
        r.evidence = "real-name check against the resident register";
      }
      if (chance(0.55)) {
        add(ID_BUREAU, "identity.address_confirmed", anyTime(), false);
      }
      if (chance(0.35)) {
        Rec r = add(ID_BUREAU, "identity.education_verified", anyTime(), false);
        if (chance(0.5)) {
          r.evidence = "degree certificate " + digits(10);
        }
      }

      boolean loans = chance(0.4);
      Map<Activity, Double> weights = new LinkedHashMap<>();
      weights.put(Activity.UTILITY, chance(0.95) ? 5.0 : 0.0);
      weights.put(Activity.CARD, chance(0.65) ? 3.0 : 0.0);
      weights.put(Activity.ACCOUNT, chance(0.55) ? 2.5 : 0.0);
      weights.put(Activity.LOAN, loans ? 2.5 : 0.0);
      // About 30 % volunteer now and then; a few are dedicated and reach the honour roll.
      double volunteering = chance(profile.troubled() ? 0.1 : 0.3) ? 2.0 : 0.0;
      if (volunteering > 0 && chance(0.15)) {
        volunteering = 10.0;
      }
      weights.put(Activity.VOLUNTEERING, volunteering);
      weights.put(Activity.DRIVING, chance(0.45) ? (profile.troubled() ? 1.2 : 0.7) : 0.0);
      weights.put(Activity.RENTAL, chance(0.35) ? 1.5 : 0.0);
      weights.put(Activity.ENDORSEMENT, chance(0.2) ? 1.0 : 0.0);
      if (weights.get(Activity.UTILITY) == 0.0 && weights.get(Activity.CARD) == 0.0) {
        weights.put(Activity.UTILITY, 5.0);
      }

      if (weights.get(Activity.ACCOUNT) > 0) {
        // A bureau file: its own records, drawn from the latent risk, not from the budget.
        weights.put(Activity.ACCOUNT, 0.0);
        bureauFile(loans);
      }
      if (profile == Profile.DEFAULTER) {
        defaulter();
      } else if (profile == Profile.TROUBLED && chance(0.3)) {
        judgment(
            pick(
                "court.repayment_liability",
                "court.civil_judgment",
                "court.utility_arrears",
                "court.breach_of_contract"),
            anyTime());
      }
      if (profile.troubled() && chance(0.02)) {
        Rec r = add(COURT, "court.bankruptcy", anyTime(), true);
        r.evidence = "case " + caseNumber(r.occurred, "Po");
      }
      if (profile.troubled() && chance(0.03)) {
        Rec r = add(MARKET, "finance.illegal_fundraising", anyTime(), true);
        r.evidence = "investigation notice " + year(r.occurred) + "-" + digits(4);
      }
      if (profile.troubled() && chance(0.1)) {
        add(CONSUMER_FINANCE, "lending.private_breach", anyTime(), true);
      }
      if (chance(0.001)) {
        Rec r = add(VOLUNTEERS, "civic.heroic_act", anyTime(), true);
        r.evidence = "city commendation (" + year(r.occurred) + ") " + (1 + rng.nextInt(99));
      }
      if (chance(0.0005)) {
        add(VOLUNTEERS, "civic.national_award", anyTime(), true);
      }
      fill(budget, weights);
    }

    /**
     * What a credit bureau holds about a person with credit accounts, drawn from the latent risk:
     * how long ago the first account was opened (up to ten years: the catalogue's retention), the
     * mix of accounts, months of high utilisation and hard inquiries in the last year, statements
     * paid as agreed, late payments and worse. The furnisher's latest monthly report is recent, so
     * an active file meets the minimum scoring criteria. A riskier person also more often has a
     * serious delinquency in the last year: the outcome a score a year ago should have predicted.
     */
    void bureauFile(boolean loans) {
      int before = records.size();
      double quality = 1 - risk;
      double years =
          Math.min(9.9, 1.5 + 8.4 * Math.pow(quality, 2) * (0.75 + 0.25 * rng.nextDouble()));
      Instant first = end.minusSeconds((long) (years * 365.25 * DAY));
      openAccountAt("account.mix_revolving", first);
      if (loans || chance(0.15 + 0.5 * quality)) {
        openAccountAt("account.mix_instalment", at(first, end.minusSeconds(30 * DAY)));
      }
      if (chance(0.05 + 0.45 * quality * quality)) {
        openAccountAt("account.mix_mortgage", at(first, end.minusSeconds(30 * DAY)));
      }
      Instant fileStart = first.isAfter(start) ? first : start;
      // Statements paid as agreed (the furnisher reports every month; one in six is kept here),
      // the latest a few weeks old.
      long halfYear = 182 * DAY;
      for (Instant t = end.minusSeconds((1 + rng.nextInt(60)) * DAY);
          !t.isBefore(fileStart);
          t = t.minusSeconds(halfYear)) {
        add(CITY_BANK, "account.paid_as_agreed", t, true);
      }
      double fileYears = (end.getEpochSecond() - fileStart.getEpochSecond()) / (365.25 * DAY);
      int late = poisson((0.02 + 0.25 * Math.pow(risk, 3) + 0.5 * Math.pow(risk, 7)) * fileYears);
      for (int i = 0; i < late; i++) {
        double y = rng.nextDouble();
        String type =
            y < 0.55 - 0.3 * risk
                ? "account.late_30"
                : y < 0.8 - 0.2 * risk
                    ? "account.late_60"
                    : y < 0.92 - 0.2 * risk ? "account.late_90" : "account.collection";
        Rec r = add(CITY_BANK, type, at(fileStart, end), true);
        if (type.equals("account.late_30") && chance(0.08)) {
          retract(r, 10, 30, "dispute upheld: reported late in error");
        }
      }
      if (risk > 0.9 && chance(0.25)) {
        Rec r = add(BUREAU_FURNISHER, "account.charge_off", at(fileStart, end), true);
        r.evidence = "collection file " + digits(8);
        maybeLearnLater(r, 0.5, 30);
      }
      // Months of high utilisation and hard inquiries in the last two years (what a score now and a
      // year ago read), year by year at the person's own rate.
      double utilisation =
          Math.min(0.95, (0.03 + 0.65 * Math.pow(risk, 1.8)) * (0.4 + 1.2 * rng.nextDouble()));
      double inquiriesPerYear = (0.15 + 2 * risk * risk) * (0.5 + rng.nextDouble());
      Instant twoYearsAgo = end.minusSeconds(2 * 365 * DAY);
      for (Instant to = end;
          to.isAfter(fileStart) && to.isAfter(twoYearsAgo);
          to = to.minusSeconds(365 * DAY)) {
        Instant from = to.minusSeconds(365 * DAY);
        if (from.isBefore(fileStart)) {
          from = fileStart;
        }
        int months = binomial(12, utilisation);
        for (int i = 0; i < months; i++) {
          add(CITY_BANK, "account.high_utilization", at(from, to), true);
        }
        int inquiries = poisson(inquiriesPerYear);
        for (int i = 0; i < inquiries; i++) {
          Rec r = add(CITY_BANK, "credit.hard_inquiry", at(from, to), false);
          r.evidence = "application " + digits(9);
        }
      }
      Instant yearAgo = end.minusSeconds(365 * DAY);
      // What happens next: a serious delinquency in the last year, likelier the riskier.
      if (chance(0.004 + 0.4 * Math.pow(risk, 7))) {
        add(
            BUREAU_FURNISHER,
            chance(0.3) ? "account.collection" : "account.late_90",
            at(yearAgo, end),
            true);
      }
      // Most of the file comes on top of the person's other records, not instead of them.
      outsideBudget += (int) Math.round(0.7 * (records.size() - before));
    }

    void openAccountAt(String mix, Instant opened) {
      Rec a = new Rec(CITY_BANK, nextId(CITY_BANK), "account.opened", opened, true);
      records.add(a);
      if (chance(0.3)) {
        a.evidence = "account " + digits(12);
      }
      records.add(new Rec(CITY_BANK, nextId(CITY_BANK), mix, opened, true));
    }

    int poisson(double mean) {
      double l = Math.exp(-mean);
      int k = 0;
      double p = 1;
      do {
        k++;
        p *= rng.nextDouble();
      } while (p > l && k < 100);
      return k - 1;
    }

    int binomial(int n, double p) {
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (rng.nextDouble() < p) {
          k++;
        }
      }
      return k;
    }

    /** A court judgment, then listing as a dishonest judgment defaulter a few months later. */
    void defaulter() {
      Instant judged = at(start, end.minusSeconds(120 * DAY));
      String cause =
          chance(0.6)
              ? "court.repayment_liability"
              : chance(0.5) ? "court.civil_judgment" : "court.breach_of_contract";
      judgment(cause, judged);
      Instant listed = min(judged.plusSeconds((60 + rng.nextInt(180)) * DAY), end);
      Rec r = add(COURT, "court.judgment_defaulter", listed, true);
      r.attributes.put("amount", (long) (2_000 + rng.nextInt(498) * 1_000));
      r.attributes.put(
          "ground", chance(0.7) ? DEFAULTER_GROUNDS[0] : DEFAULTER_GROUNDS[1 + rng.nextInt(5)]);
      r.evidence = "case " + caseNumber(r.occurred, "Zhi");
      maybeLearnLater(r, 0.6, 20);
    }

    void judgment(String type, Instant when) {
      Rec r = add(COURT, type, when, true);
      r.evidence = "case " + caseNumber(r.occurred, "Min Chu");
      maybeLearnLater(r, 0.5, 15);
    }

    // --- organisations --------------------------------------------------------------------------

    void organisation(long number) {
      String[] area = AREAS[rng.nextInt(AREAS.length)];
      char kind = chance(0.9) ? '1' : chance(0.6) ? '2' : '3';
      id = "org:" + creditCode(number, kind, area[0]);
      this.area = area[0];
      this.province = area[1];
      double p = rng.nextDouble();
      profile =
          p < 0.03
              ? Profile.DEFAULTER
              : p < 0.08 ? Profile.TROUBLED : p < 0.2 ? Profile.FAIR : Profile.GOOD;
      int budget = budget();
      if (profile == Profile.DEFAULTER) {
        Instant judged = at(start, end.minusSeconds(120 * DAY));
        judgment(chance(0.5) ? "court.breach_of_contract" : "court.repayment_liability", judged);
        Instant listed = min(judged.plusSeconds((60 + rng.nextInt(180)) * DAY), end);
        Rec r = add(COURT, "court.judgment_defaulter", listed, true);
        r.attributes.put("amount", (long) (50_000 + rng.nextInt(950) * 10_000));
        r.evidence = "case " + caseNumber(r.occurred, "Zhi");
        maybeLearnLater(r, 0.6, 20);
      } else if (profile == Profile.TROUBLED && chance(0.4)) {
        judgment(pick("court.breach_of_contract", "court.utility_arrears"), anyTime());
      }
      Map<Activity, Double> weights = new LinkedHashMap<>();
      weights.put(Activity.UTILITY, 6.0);
      weights.put(
          Activity.MARKET,
          profile == Profile.GOOD ? (chance(0.1) ? 0.3 : 0.0) : profile.troubled() ? 1.5 : 0.6);
      fill(budget, weights);
    }

    // --- recurring records ----------------------------------------------------------------------

    int budget() {
      int n = 4 + rng.nextInt(17) + rng.nextInt(17);
      return chance(0.03) ? 2 * n : n;
    }

    void fill(int budget, Map<Activity, Double> weights) {
      double total = 0;
      for (double w : weights.values()) {
        total += w;
      }
      while (records.size() - outsideBudget < budget) {
        double x = rng.nextDouble() * total;
        Activity chosen = Activity.UTILITY;
        for (Map.Entry<Activity, Double> e : weights.entrySet()) {
          if (e.getValue() > 0 && (x -= e.getValue()) < 0) {
            chosen = e.getKey();
            break;
          }
        }
        switch (chosen) {
          case UTILITY -> utility();
          case CARD -> card();
          case ACCOUNT -> account();
          case LOAN -> loan();
          case VOLUNTEERING -> volunteering();
          case DRIVING -> driving();
          case RENTAL -> rental();
          case ENDORSEMENT -> endorsement();
          case MARKET -> market();
        }
      }
    }

    void utility() {
      double x = rng.nextDouble();
      if (profile.troubled() && x < 0.01) {
        Rec r =
            add(
                UTILITIES,
                pick(
                    "utility.theft",
                    "utility.theft",
                    "utility.heating_tampering",
                    "utility.equipment_destruction"),
                anyTime(),
                true);
        r.evidence = "inspection report " + year(r.occurred) + "-" + digits(5);
        maybeLearnLater(r, 0.5, 10);
      } else if (x < profile.bad) {
        Rec r = add(UTILITIES, "utility.fee_delayed", anyTime(), true);
        r.evidence = "bill " + month(r.occurred) + " account " + digits(10);
        if (chance(0.05)) {
          retract(r, 5, 40, "billing error, late-fee notice withdrawn");
        }
      } else {
        Rec r = add(UTILITIES, "utility.bill_paid_on_time", anyTime(), true);
        if (chance(0.15)) {
          r.evidence = "bill " + month(r.occurred);
        }
      }
    }

    void card() {
      if (rng.nextDouble() < profile.bad) {
        if (chance(0.6)) {
          Rec r = add(CITY_BANK, "card.overdue", anyTime(), true);
          r.evidence = "statement " + month(r.occurred);
          if (chance(0.05)) {
            retract(r, 5, 30, "dispute upheld: payment was received on time");
          }
        } else {
          arrears();
        }
      } else {
        add(CITY_BANK, "card.paid_on_time", anyTime(), true);
      }
    }

    void arrears() {
      Rec r = add(CITY_BANK, "bank.arrears", anyTime(), true);
      int cycles =
          1 + (int) Math.floor(Math.abs(rng.nextGaussian()) * (profile.troubled() ? 4 : 1.5));
      r.attributes.put("cycles", (long) Math.min(cycles, 14));
      r.evidence = "statement " + month(r.occurred);
      if (chance(0.2)) {
        Rec c = correct(r, 3, 20, "corrected statement " + month(r.occurred));
        long corrected = cycles > 1 && chance(0.7) ? cycles - 1 : cycles + 1;
        c.attributes.put("cycles", corrected);
      }
    }

    void account() {
      double x = rng.nextDouble();
      if (x < profile.bad) {
        if (profile.troubled() && chance(0.2)) {
          Rec r =
              add(
                  BUREAU_FURNISHER,
                  chance(0.7) ? "account.collection" : "account.charge_off",
                  anyTime(),
                  true);
          r.evidence = "collection file " + digits(8);
          maybeLearnLater(r, 0.5, 30);
          return;
        }
        double y = rng.nextDouble();
        if (y < 0.6) {
          Rec r = add(CITY_BANK, "account.late_30", anyTime(), true);
          if (chance(0.08)) {
            retract(r, 10, 30, "dispute upheld: reported late in error");
          }
        } else if (y < 0.9) {
          Rec r = add(CITY_BANK, "account.late_60", anyTime(), true);
          if (chance(0.1)) {
            Rec c = new Rec(CITY_BANK, nextId(CITY_BANK), "account.late_30", r.occurred, true);
            link(r, c, 10, 30);
            c.supersedes = r.id;
            c.evidence = "reinvestigation: 30, not 60, days late";
          }
        } else {
          add(CITY_BANK, "account.late_90", anyTime(), true);
        }
        return;
      }
      double utilisation = profile == Profile.GOOD ? 0.08 : 0.3;
      if (x < profile.bad + utilisation * 0.5) {
        add(CITY_BANK, "account.high_utilization", anyTime(), true);
      } else if (chance(0.1)) {
        Rec r = add(CITY_BANK, "credit.hard_inquiry", anyTime(), false);
        r.evidence = "application " + digits(9);
      } else {
        add(CITY_BANK, "account.paid_as_agreed", anyTime(), true);
      }
    }

    void loan() {
      String lender = chance(0.6) ? CONSUMER_FINANCE : CITY_BANK;
      if (rng.nextDouble() < profile.bad) {
        if (profile.troubled() && chance(0.15)) {
          Rec r = add(lender, "loan.default", anyTime(), true);
          r.evidence = "loan contract " + digits(10);
          maybeLearnLater(r, 0.4, 30);
        } else {
          add(lender, "loan.repaid_late", anyTime(), true);
        }
      } else if (chance(0.05)) {
        add(lender, "credit.hard_inquiry", anyTime(), false);
      } else {
        add(lender, "loan.repaid_on_time", anyTime(), true);
      }
    }

    void volunteering() {
      double x = rng.nextDouble();
      if (x < 0.003) {
        Rec r = add(VOLUNTEERS, "civic.heroic_act", anyTime(), true);
        r.evidence = "city commendation (" + year(r.occurred) + ") " + (1 + rng.nextInt(99));
      } else if (x < 0.25) {
        add(VOLUNTEERS, "volunteer.blood_donation", anyTime(), true);
      } else {
        Rec r = add(VOLUNTEERS, "volunteer.service_hours", anyTime(), true);
        double hours = 2 + rng.nextInt(39) + (chance(0.2) ? 0.5 : 0.0);
        r.attributes.put("hours", hours);
        if (chance(0.3)) {
          r.evidence = "registry certificate " + year(r.occurred) + "-" + digits(4);
        }
        if (chance(0.03)) {
          Rec c = correct(r, 2, 14, "hours corrected by the organiser");
          c.attributes.put("hours", Math.max(1.0, hours - 1 - rng.nextInt(8)));
        }
      }
    }

    void driving() {
      double drunk = profile.troubled() ? 0.02 : 0.004;
      double x = rng.nextDouble();
      String type =
          x < drunk ? "traffic.drunk_driving" : x < 0.45 ? "traffic.red_light" : "traffic.speeding";
      Rec r = add(TRAFFIC, type, anyTime(), false);
      if (chance(0.8)) {
        r.evidence = "ticket " + area.substring(0, 4) + "-" + year(r.occurred) + "-" + digits(5);
      }
      maybeLearnLater(r, 0.2, 7);
      if (!type.equals("traffic.drunk_driving") && chance(0.06)) {
        retract(
            r,
            3,
            20,
            chance(0.5) ? "camera fault, ticket withdrawn" : "appeal upheld, ticket withdrawn");
      }
    }

    void rental() {
      if (rng.nextDouble() < profile.bad) {
        double x = rng.nextDouble();
        String type =
            x < 0.45
                ? "rental.damage_claim"
                : x < 0.9 ? "contract.breached" : "contract.obligation_failed";
        Rec r = add(RENTALS, type, anyTime(), true);
        r.evidence = "order " + digits(12);
      } else {
        add(
            RENTALS,
            chance(0.6) ? "rental.returned_on_time" : "contract.fulfilled",
            anyTime(),
            true);
      }
    }

    void endorsement() {
      Rec r = add(ENDORSEMENTS, "endorsement.received", anyTime(), false);
      double trust =
          profile.troubled() ? 0.1 + 0.4 * rng.nextDouble() : 0.2 + 0.8 * rng.nextDouble();
      r.attributes.put("endorser_trust", Math.round(trust * 100) / 100.0);
    }

    /** Market-regulator findings about an organisation. */
    void market() {
      double x = rng.nextDouble();
      if (x < 0.6) {
        Rec r = add(MARKET, "commerce.untrustworthy_conduct", anyTime(), true);
        long deduction = 5L * (1 + rng.nextInt(profile.troubled() ? 10 : 4));
        r.attributes.put("deduction", deduction);
        r.evidence = "decision " + province + " " + year(r.occurred) + "-" + digits(5);
        if (chance(0.12)) {
          Rec c = correct(r, 5, 40, "decision revised on review");
          c.attributes.put("deduction", Math.max(5L, deduction - 5L * (1 + rng.nextInt(2))));
        }
      } else if (x < 0.85) {
        add(MARKET, "contract.obligation_failed", anyTime(), true);
      } else {
        Rec r =
            add(
                MARKET,
                x < 0.93 ? "commerce.fraud" : "commerce.counterfeit_goods",
                anyTime(),
                true);
        r.evidence = "penalty decision " + province + " " + year(r.occurred) + "-" + digits(5);
        maybeLearnLater(r, 0.5, 30);
      }
    }

    // --- helpers --------------------------------------------------------------------------------

    Rec add(String source, String type, Instant occurred, boolean dateOnly) {
      Rec r = new Rec(source, nextId(source), type, occurred, dateOnly);
      if (r.occurred.isBefore(start)) {
        r = new Rec(source, r.id, type, r.occurred.plusSeconds(DAY), dateOnly);
      }
      records.add(r);
      return r;
    }

    String nextId(String source) {
      return ID_CODES.get(source) + "-" + seq + "-" + (++counter);
    }

    /** A correction of {@code target}: same source, type and occurred, learned a little later. */
    Rec correct(Rec target, int minDays, int maxDays, String evidence) {
      Rec c =
          new Rec(
              target.source, nextId(target.source), target.type, target.occurred, target.dateOnly);
      link(target, c, minDays, maxDays);
      c.supersedes = target.id;
      c.evidence = evidence;
      return c;
    }

    void retract(Rec target, int minDays, int maxDays, String evidence) {
      Rec c =
          new Rec(
              target.source, nextId(target.source), target.type, target.occurred, target.dateOnly);
      c.attributes.putAll(target.attributes);
      link(target, c, minDays, maxDays);
      c.retracts = target.id;
      c.evidence = evidence;
    }

    void link(Rec target, Rec followUp, int minDays, int maxDays) {
      long days = minDays + rng.nextInt(maxDays - minDays + 1);
      Instant learned =
          target.visible().plusSeconds(days * DAY + 8 * 3600 + rng.nextInt(10 * 3600));
      followUp.learned = min(learned, end);
      followUps.add(followUp);
    }

    void maybeLearnLater(Rec r, double probability, int maxDays) {
      if (chance(probability)) {
        Instant learned =
            r.occurred.plusSeconds((1 + rng.nextInt(maxDays)) * DAY + rng.nextInt(12 * 3600));
        if (!learned.isAfter(end)) {
          r.learned = learned;
        }
      }
    }

    void pickArea(String code) {
      for (String[] a : AREAS) {
        if (a[0].equals(code)) {
          area = a[0];
          province = a[1];
          return;
        }
      }
      throw new IllegalStateException("unknown area " + code);
    }

    String caseNumber(Instant when, String kind) {
      return "("
          + year(when)
          + ") "
          + province
          + " "
          + area.substring(2)
          + " "
          + kind
          + " "
          + (1 + rng.nextInt(9000));
    }

    Instant anyTime() {
      return start.plusSeconds(rng.nextLong(span + 1));
    }

    Instant at(Instant from, Instant to) {
      if (!to.isAfter(from)) {
        return from;
      }
      return from.plusSeconds(rng.nextLong(to.getEpochSecond() - from.getEpochSecond() + 1));
    }

    boolean chance(double p) {
      return rng.nextDouble() < p;
    }

    String pick(String... options) {
      return options[rng.nextInt(options.length)];
    }

    String digits(int n) {
      char[] c = new char[n];
      for (int i = 0; i < n; i++) {
        c[i] = (char) ('0' + rng.nextInt(10));
      }
      return new String(c);
    }
  }

  // --- output -----------------------------------------------------------------------------------

  private static String json(Rec r, String subject, StringWriter buffer) {
    buffer.getBuffer().setLength(0);
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("source", r.source);
      g.writeStringField("id", r.id);
      g.writeStringField("subject", subject);
      g.writeStringField("type", r.type);
      g.writeStringField(
          "occurred",
          r.dateOnly
              ? LocalDate.ofInstant(r.occurred, ZoneOffset.UTC).toString()
              : r.occurred.toString());
      if (r.learned != null) {
        g.writeStringField("learned", r.learned.toString());
      }
      if (!r.attributes.isEmpty()) {
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, Object> a : r.attributes.entrySet()) {
          Object v = a.getValue();
          if (v instanceof Long l) {
            g.writeNumberField(a.getKey(), l);
          } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            g.writeNumberField(a.getKey(), d.longValue());
          } else if (v instanceof Double d) {
            g.writeNumberField(a.getKey(), d);
          } else if (v instanceof Boolean b) {
            g.writeBooleanField(a.getKey(), b);
          } else {
            g.writeStringField(a.getKey(), v.toString());
          }
        }
        g.writeEndObject();
      }
      if (r.evidence != null) {
        g.writeStringField("evidence", r.evidence);
      }
      if (r.supersedes != null) {
        g.writeStringField("supersedes", r.supersedes);
      }
      if (r.retracts != null) {
        g.writeStringField("retracts", r.retracts);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return buffer.toString();
  }

  private static String year(Instant t) {
    return Integer.toString(t.atZone(ZoneOffset.UTC).getYear());
  }

  private static String month(Instant t) {
    return t.toString().substring(0, 7);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static long coprime(long a, long m) {
    while (gcd(a, m) != 1) {
      a = a + 1 >= m ? 1 : a + 1;
    }
    return a;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
