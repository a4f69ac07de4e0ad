package org.credo.engine;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.credo.lists.ListEntry;
import org.credo.policy.Policy;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyRef;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.scoring.NoScore;
import org.credo.scoring.RecordColumns;
import org.credo.scoring.RecordIndex;
import org.credo.scoring.Score;
import org.credo.scoring.Scorer;
import org.credo.scoring.SubjectHistory;
import org.credo.scoring.Summary;
import org.credo.store.ScoringModes;
import org.credo.store.Store;
import org.credo.store.StoreException;
import org.credo.subject.SubjectId;

/**
 * The scoring engine over a store: which policies are active when, scores and reports for a
 * subject, and population-wide rescoring. It compiles each stored policy version once.
 *
 * <p>Which policy versions are active is {@link PolicyVersions}' business, a rescoring's counts
 * {@link Tally}'s and reading the store for the index {@link IndexRows}'. Why this class is still
 * long (~730 lines): it owns the in-memory index's lifecycle — build, the importers' and the store
 * follower's appends, removals, trims — and every read of it (scores, list members, warm-up,
 * distributions) under one lock; splitting the index from its readers would spread that lock over
 * several classes.
 */
public final class Engine {
  private final Store store;
  private final PolicyVersions versions;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Every record in memory for the policies active when it was built; null until built. */
  private RecordIndex index;

  private final java.util.concurrent.atomic.AtomicLong changes =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * For records of types that put a subject on a list: their {@code {source/id, evidence}} by row,
   * so a list entry's basis needs no read of the store. Few records: court judgments and the like.
   */
  private final Map<Integer, String[]> listed = new ConcurrentHashMap<>();

  private java.util.Set<String> listedTypes = java.util.Set.of();

  public Engine(Store store) {
    this.store = requireNonNull(store, "store is null");
    this.versions = new PolicyVersions(store);
  }

  /**
   * Due process applied to a score's list entries after the policy made them (see {@code
   * org.credo.repairs.ListDueProcess}); a pure function of what Credo knew at {@code knownAt}.
   */
  public interface ListReview {
    List<ListEntry> review(byte[] subjectKey, List<ListEntry> entries, Instant knownAt);
  }

  private volatile ListReview listReview;

  /** Sets the review every score's list entries pass through. */
  public void listReview(ListReview review) {
    this.listReview = review;
  }

  /**
   * What a subject's score is after the rules outside the policy: score-free mode withholds the
   * number, due process adjusts the list entries. Every path to a score passes here.
   */
  Score reviewed(byte[] subjectKey, Score score, boolean scoreFree, Instant knownAt) {
    if (scoreFree) {
      score = score.withoutNumber(NoScore.scoreFree());
    }
    ListReview review = listReview;
    if (review != null && !score.lists().isEmpty()) {
      score = score.withLists(review.review(subjectKey, score.lists(), knownAt));
    }
    return score;
  }

  public Store store() {
    return store;
  }

  /**
   * Loads and checks a policy, saves its text as a new version and makes it active; a built index
   * is rebuilt for the policies active from then on. See {@link PolicyVersions#activate}.
   *
   * @throws PolicyException when the policy does not load; nothing is saved then
   * @throws PurposeConflictException when a purpose is already declared by another active policy;
   *     nothing is saved then
   */
  public Policy activate(String file, String yaml, Instant at) throws PolicyException {
    Policy policy = versions.activate(file, yaml, at);
    if (index != null) {
      buildIndex(at);
    }
    return policy;
  }

  /**
   * Loads and checks a policy exactly as {@link #activate} does, saving nothing: what a simulation
   * of a candidate needs.
   *
   * @throws PolicyException when the policy does not load or does not keep to the catalogue
   */
  public Policy check(String file, String yaml) throws PolicyException {
    return versions.check(file, yaml);
  }

  /**
   * Everything {@link #activate} checks before it saves, saving nothing: the policy loads, keeps to
   * the catalogue, and declares no purpose another policy active at {@code at} declares.
   *
   * @throws PolicyException when the policy does not load or does not keep to the catalogue
   * @throws PurposeConflictException when a purpose is already another active policy's
   */
  public Policy checkActivation(String file, String yaml, Instant at) throws PolicyException {
    Policy policy = versions.check(file, yaml);
    versions.checkPurposes(policy, at);
    return policy;
  }

  /** The policies active at {@code at}, one per policy id. */
  public List<Policy> activePolicies(Instant at) {
    return versions.activePolicies(at);
  }

  /** A stored policy version, compiled. */
  public Policy policy(PolicyRef ref) {
    return versions.policy(ref);
  }

  /**
   * Forgets the activation history read from the store, so that the next question reads it again:
   * another process (a {@code credo policy activate}) may have activated a policy.
   */
  public void forgetPolicies() {
    versions.forget();
  }

  /**
   * The subject's score as of {@code asOf}, as known at {@code knownAt}, under every policy active
   * at {@code knownAt} that scores its kind. Choosing the policies by {@code knownAt} makes a
   * replay exact — a decision made on day D, replayed as of D as known at D, uses the records and
   * the policy version Credo had on D — while "my score last March, as known today" uses today's
   * policies.
   */
  public List<Score> scores(SubjectId subject, Instant asOf, Instant knownAt) {
    List<Policy> policies = new ArrayList<>();
    for (Policy policy : activePolicies(knownAt)) {
      if (policy.subjects().contains(subject.kind())) {
        policies.add(policy);
      }
    }
    return scoresUnder(policies, subject, asOf, knownAt);
  }

  /**
   * The subject's score under one policy (which must score its kind), as {@link #scores} would give
   * it: what a decision needs.
   */
  public Score score(SubjectId subject, Policy policy, Instant asOf, Instant knownAt) {
    return scoresUnder(List.of(policy), subject, asOf, knownAt).get(0);
  }

  /**
   * Scores under each policy: from private copies of the index's columns (taken under one read
   * lock) where it holds the policy, else from the records, read once.
   */
  private List<Score> scoresUnder(
      List<Policy> policies, SubjectId subject, Instant asOf, Instant knownAt) {
    byte[] key = store.keys().pseudonym(subject);
    SubjectHistory[] histories = new SubjectHistory[policies.size()];
    lock.readLock().lock();
    try {
      for (int i = 0; i < histories.length; i++) {
        if (index != null && index.holds(policies.get(i).ref())) {
          histories[i] = indexedHistory(policies.get(i).ref(), key, subject);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    List<Score> out = new ArrayList<>(histories.length);
    // Score-free mode (SPEC §4.6), as in effect at knownAt: no number or grade under any policy.
    boolean scoreFree = store.scoringModes().modeAt(key, knownAt) == ScoringModes.Mode.SCORE_FREE;
    List<Record> records = null;
    for (int i = 0; i < histories.length; i++) {
      SubjectHistory history = histories[i];
      if (history == null) {
        if (records == null) {
          records = store.records(subject);
        }
        history = SubjectHistory.prepare(policies.get(i), subject, records);
      }
      out.add(reviewed(key, Scorer.score(history, asOf, knownAt), scoreFree, knownAt));
    }
    return out;
  }

  /**
   * A private copy of a subject's columns from the index (call under the read lock): records are
   * read from the store only if an itemized result needs them; list entries' keys come from the map
   * of list-making records.
   */
  private SubjectHistory indexedHistory(PolicyRef policy, byte[] key, SubjectId subject) {
    return index.history(
        policy,
        key,
        subject,
        rows -> store.records(Arrays.stream(rows).asLongStream().toArray(), subject),
        listed::get);
  }

  /**
   * Whether any record about the subject is held: answered from the in-memory index when it holds
   * the subject (no query); otherwise (no index, or records held back) from the store.
   */
  public boolean holdsRecords(SubjectId subject) {
    byte[] key = store.keys().pseudonym(subject);
    lock.readLock().lock();
    try {
      if (index != null) {
        int s = index.subject(key);
        if (s >= 0 && index.size(s) > 0) {
          return true;
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    return !store.records(subject).isEmpty();
  }

  /** Every record held about the subject, in storage order. */
  public List<Record> records(SubjectId subject) {
    return store.records(subject);
  }

  // ---- the in-memory index --------------------------------------------------------------------

  /** Figures of the in-memory index. */
  public record IndexFigures(
      List<PolicyRef> policies, int subjects, long records, long bytes, double seconds) {
    public double bytesPerRecord() {
      return records == 0 ? 0 : (double) bytes / records;
    }
  }

  /**
   * Builds (or rebuilds) the in-memory index of every stored record for the policies active at
   * {@code at}, reading the store once. From then on scores for those policies and rescoring read
   * memory, and {@link #accepted} keeps the index current.
   */
  public IndexFigures buildIndex(Instant at) {
    long started = System.nanoTime();
    List<Policy> policies = activePolicies(at);
    RecordIndex.Builder builder =
        RecordIndex.builder(policies, (int) Math.min(store.seqSpan(), Integer.MAX_VALUE - 16));
    Map<String, RecordType> types = new HashMap<>();
    Map<RecordType, Boolean> reads = new HashMap<>();
    java.util.Set<String> listing = new java.util.HashSet<>();
    for (Policy p : policies) {
      p.rules().stream()
          .filter(r -> r.list().isPresent())
          .forEach(r -> listing.add(r.type().value()));
    }
    lock.writeLock().lock();
    try {
      listed.clear();
      listedTypes = listing;
      java.util.function.Consumer<Store.IndexRow> add =
          row -> {
            if (row.source() != null) {
              listed.put(
                  row(row.seq()), new String[] {row.source() + "/" + row.id(), row.evidence()});
            }
            RecordType type = types.computeIfAbsent(row.type(), RecordType::of);
            boolean attributes = reads.computeIfAbsent(type, builder::readsAttributes);
            builder.add(
                row.subjectKey(),
                row.subjectKind(),
                type,
                row.occurredMicros(),
                row.learnedMicros(),
                RecordColumns.flags(row.supersedes(), row.retracts()),
                attributes ? Store.parseAttributes(row.attributes()) : Map.of(),
                row(row.seq()),
                row.targetSeq() > 0 ? row(row.targetSeq()) : -1,
                row.tieKey());
          };
      Set<Long> held = store.sources().heldRows();
      // A StoreFollower reads on from here: every row up to it is read below (or held).
      builtThrough = store.lastSeq();
      IndexRows.read(
          store,
          listing::contains,
          held.isEmpty()
              ? add
              : row -> {
                if (!held.contains(row.seq())) {
                  add.accept(row);
                }
              });
      index = builder.build(this::keysOf);
      changes.incrementAndGet();
      return figures((System.nanoTime() - started) / 1e9);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Figures of the index, or empty when it has not been built. */
  public Optional<IndexFigures> indexFigures() {
    lock.readLock().lock();
    try {
      return index == null ? Optional.empty() : Optional.of(figures(0));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Bytes of the index's columns for one policy. */
  public long indexPolicyBytes(PolicyRef policy) {
    lock.readLock().lock();
    try {
      return index.policyBytes(policy);
    } finally {
      lock.readLock().unlock();
    }
  }

  private IndexFigures figures(double seconds) {
    return new IndexFigures(
        index.policies(), index.subjects(), index.records(), index.bytes(), seconds);
  }

  /**
   * Takes records the store has just deleted (retention) out of the index, without rebuilding it:
   * scoring goes on meanwhile. A no-op before the index is built.
   *
   * @param subjectKeys each deleted row's subject key
   */
  public void removed(Map<Long, byte[]> subjectKeys) {
    lock.writeLock().lock();
    try {
      if (index == null) {
        return;
      }
      subjectKeys.forEach(
          (seq, key) -> {
            index.remove(key, row(seq));
            listed.remove(row(seq));
          });
      changes.incrementAndGet();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Adds records the store has just accepted to the index (a no-op before it is built). Pass it to
   * the {@link org.credo.ingest.Importer} so scores are current the moment a batch commits.
   */
  public void accepted(List<Record> records, long[] rows, long[] targetRows) {
    accepted(records, null, rows, targetRows);
  }

  /**
   * As {@link #accepted(List, long[], long[])}, for records whose subjects are known by key only
   * (read back from the store by a {@link StoreFollower}): {@code keysGiven[i]} is record {@code
   * i}'s subject key (null: hash each record's subject). A row the index holds already is left
   * alone, so a row told twice — by the importer and by the follower — is indexed once.
   */
  void accepted(List<Record> records, byte[][] keysGiven, long[] rows, long[] targetRows) {
    // Records of this batch that occurred at the same instant are ordered by the keys in hand;
    // ties with earlier batches' records read those records' keys from the store, all at once
    // and before the index is locked, so that no query runs while writers wait for the lock.
    Map<Integer, String[]> batchKeys = new HashMap<>(records.size() * 2);
    java.util.Set<Integer> earlierTies = new java.util.HashSet<>();
    byte[][] subjectKeys = keysGiven != null ? keysGiven : new byte[records.size()][];
    lock.readLock().lock();
    try {
      if (index == null) {
        return;
      }
      for (int i = 0; i < records.size(); i++) {
        Record r = records.get(i);
        batchKeys.put(row(rows[i]), new String[] {r.source().value(), r.id()});
        if (keysGiven == null) {
          subjectKeys[i] = store.keys().pseudonym(r.subject());
        }
        for (int tied : index.tiedRows(subjectKeys[i], r.occurred())) {
          earlierTies.add(tied);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    if (!earlierTies.isEmpty()) {
      batchKeys.putAll(keysOf(earlierTies.stream().mapToInt(Integer::intValue).toArray()));
    }
    lock.writeLock().lock();
    try {
      if (index == null) {
        return;
      }
      // A batch that committed meanwhile may have added more ties: their keys are read below.
      RecordIndex.Keys keys =
          wanted -> {
            Map<Integer, String[]> out = new HashMap<>();
            List<Integer> missing = new ArrayList<>();
            for (int r : wanted) {
              String[] k = batchKeys.get(r);
              if (k != null) {
                out.put(r, k);
              } else {
                missing.add(r);
              }
            }
            if (!missing.isEmpty()) {
              out.putAll(keysOf(missing.stream().mapToInt(Integer::intValue).toArray()));
            }
            return out;
          };
      for (int i = 0; i < records.size(); i++) {
        Record r = records.get(i);
        if (store.sources().isHeld(rows[i])) {
          continue; // its source is suspended: kept, not scored
        }
        if (indexes(subjectKeys[i], r, rows[i])) {
          continue; // told of already: by the importer and a StoreFollower, whichever came first
        }
        if (told != null && keysGiven == null) {
          told.add(rows[i]);
        }
        if (listedTypes.contains(r.type().value())) {
          listed.put(row(rows[i]), new String[] {r.key(), r.evidence().orElse(null)});
        }
        changes.incrementAndGet();
        index.add(
            subjectKeys[i],
            r.subject().kind(),
            r,
            row(rows[i]),
            targetRows[i] > 0 ? row(targetRows[i]) : -1,
            keys);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Appends records Credo itself writes (a dispute's suppression, a source's answer, a
   * re-certification) with the rows they link to, and keeps the index current. Idempotent on
   * (source, id) as every append: a record already stored is left alone.
   *
   * @return each record's new row, or 0 when it was already stored
   */
  public long[] append(List<Record> records, long[] targetRows) {
    long[] rows = store.append(new Store.Append(records, targetRows));
    List<Record> fresh = new ArrayList<>();
    List<long[]> freshRows = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] > 0) {
        fresh.add(records.get(i));
        freshRows.add(new long[] {rows[i], targetRows[i]});
      }
    }
    if (!fresh.isEmpty()) {
      accepted(
          fresh,
          freshRows.stream().mapToLong(r -> r[0]).toArray(),
          freshRows.stream().mapToLong(r -> r[1]).toArray());
    }
    return rows;
  }

  /** Whether the index holds row {@code row}, which stores {@code r} (call under a lock). */
  private boolean indexes(byte[] subjectKey, Record r, long row) {
    for (int held : index.tiedRows(subjectKey, r.occurred())) {
      if (held == row) {
        return true;
      }
    }
    return false;
  }

  // ---- following the store (StoreFollower) ----------------------------------------------------

  /** The last row in the store when the index was last built (0 before). */
  private volatile long builtThrough;

  /**
   * Rows this engine's importers told it of since its follower last asked, so that the follower
   * does not read them back; null while no follower follows. Guarded by the index's lock.
   */
  private java.util.TreeSet<Long> told;

  long builtThrough() {
    return builtThrough;
  }

  /** From now on, remember the rows importers tell of, for {@link #notTold}. */
  void follow() {
    lock.writeLock().lock();
    try {
      if (told == null) {
        told = new java.util.TreeSet<>();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Of rows found in the store (ascending), those no importer of this engine told it of: the rows
   * another process wrote. Forgets the others, and every row told of below the first asked about.
   */
  long[] notTold(long[] seqs) {
    lock.writeLock().lock();
    try {
      if (told == null || told.isEmpty() || seqs.length == 0) {
        return seqs;
      }
      long[] out = new long[seqs.length];
      int n = 0;
      for (long seq : seqs) {
        if (!told.remove(seq)) {
          out[n++] = seq;
        }
      }
      told.headSet(seqs[0]).clear(); // never asked about now (a gap given up on): harmless
      return Arrays.copyOf(out, n);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * A number that changes whenever the index's records change (a record added, the index rebuilt):
   * a result computed from the index stays valid while it is the same, as far as records go.
   */
  public long changes() {
    return changes.get();
  }

  /**
   * Gives back the room the index keeps for subjects to grow (call it after a bulk import); returns
   * the figures after.
   */
  public IndexFigures trimIndex() {
    lock.writeLock().lock();
    try {
      index.trim();
      return figures(0);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private Map<Integer, String[]> keysOf(int[] rows) {
    Map<Integer, String[]> out = new HashMap<>();
    store
        .keysOf(java.util.Arrays.stream(rows).asLongStream().toArray())
        .forEach((seq, key) -> out.put(seq.intValue(), key));
    return out;
  }

  private static int row(long seq) {
    if (seq > Integer.MAX_VALUE) {
      throw new StoreException(
          "row " + seq + " is beyond what the in-memory index holds (2^31 records)");
    }
    return (int) seq;
  }

  /** A subject on a list, known by its pseudonym, with its entries there. */
  public record ListMember(byte[] subjectKey, List<ListEntry> entries) {}

  /**
   * Every subject with an entry on {@code list} under {@code policy} at {@code at} — in effect or
   * still in its notice period — with due process applied. Needs the index. Subjects are known by
   * pseudonym only: Credo does not hold raw identifiers.
   *
   * @param notice the list's notice period: entries that take effect within it are included
   */
  public List<ListMember> listMembers(
      Policy policy, String list, Instant at, org.credo.policy.TimeSpan notice) {
    List<ListMember> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      if (index == null || !index.holds(policy.ref())) {
        throw new StoreException("the list view needs the in-memory index (credo serve builds it)");
      }
      Instant ahead = notice.addTo(at);
      for (int s = 0; s < index.subjects(); s++) {
        Optional<Summary> now = index.summary(policy.ref(), s, at, at);
        if (now.isEmpty()) {
          continue;
        }
        boolean candidate = now.get().lists().contains(list);
        if (!candidate && !notice.isZero()) {
          candidate =
              index
                  .summary(policy.ref(), s, ahead, at)
                  .map(x -> x.lists().contains(list))
                  .orElse(false);
        }
        if (!candidate) {
          continue;
        }
        byte[] key = index.key(s);
        SubjectHistory h = indexedHistory(policy.ref(), key, STAND_IN.get(index.kind(s)));
        List<ListEntry> entries =
            Scorer.score(h, at, at).lists().stream().filter(e -> e.list().equals(list)).toList();
        ListReview review = listReview;
        if (review != null) {
          entries = review.review(key, entries, at);
        }
        entries =
            entries.stream().filter(e -> e.until().map(u -> u.isAfter(at)).orElse(true)).toList();
        if (!entries.isEmpty()) {
          out.add(new ListMember(key, entries));
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    return out;
  }

  /**
   * Scores the first {@code subjects} subjects of the index in full — itemized, reading their
   * records, now and month by month over the past year — and throws the results away: run once in
   * the background when a server starts, so the first real score request does not pay for compiling
   * the scoring path. Scores are made under a stand-in identifier (only the kind matters); nothing
   * is written.
   *
   * @return the scores made, for a caller that also wants to warm what it does with them
   */
  public List<Score> warmUp(int subjects, Instant now) {
    List<Score> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      if (index == null) {
        return out;
      }
      List<Policy> policies = activePolicies(now);
      for (int s = 0; s < Math.min(subjects, index.subjects()); s++) {
        SubjectId standIn = STAND_IN.get(index.kind(s));
        byte[] key = index.key(s);
        for (Policy policy : policies) {
          if (!index.holds(policy.ref()) || !policy.subjects().contains(index.kind(s))) {
            continue;
          }
          SubjectHistory h = indexedHistory(policy.ref(), key, standIn);
          Score score = Scorer.score(h, now, now);
          score.contributions().size(); // reads the records, as a report does
          out.add(score);
          for (int m = 1; m <= 12; m++) {
            Instant then = now.minus(java.time.Duration.ofDays(30L * m));
            Scorer.score(h, then, then);
          }
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    return out;
  }

  /**
   * Valid identifiers that stand for "a subject of this kind" where only the kind matters: a list
   * view scores subjects by pseudonym and never reads their records or shows their identifier.
   */
  private static final Map<org.credo.subject.SubjectKind, SubjectId> STAND_IN =
      Map.of(
          org.credo.subject.SubjectKind.PERSON,
          SubjectId.parse("person:110101199003074477"),
          org.credo.subject.SubjectKind.ORG,
          SubjectId.parse("org:91110000600037341L"));

  /**
   * Rescores every subject under {@code policy} at {@code at}: a scan of the in-memory index on
   * every core when it holds the policy, otherwise a scan of the store.
   */
  public Distribution distribution(Policy policy, Instant at) {
    lock.readLock().lock();
    try {
      if (index != null && index.holds(policy.ref())) {
        return indexedDistribution(policy, at);
      }
    } finally {
      lock.readLock().unlock();
    }
    return storedDistribution(policy, at);
  }

  /**
   * Scores the indexed subjects {@code from} (inclusive) to {@code to} (exclusive) under {@code
   * policies}, as {@link PopulationScores} does from the store — itemized, score-free mode and list
   * due process applied — but from the in-memory index's columns: no row is read unless an itemized
   * result asks for its records. Empty when the index is not built or does not hold every policy;
   * then the caller reads the store.
   */
  Optional<List<PopulationScores.Scored>> indexedScores(
      List<Policy> policies, Instant at, int from, int to, Set<java.nio.ByteBuffer> scoreFree) {
    List<PopulationScores.Scored> out = new ArrayList<>(Math.max(0, to - from));
    lock.readLock().lock();
    try {
      if (index == null || !policies.stream().allMatch(p -> index.holds(p.ref()))) {
        return Optional.empty();
      }
      for (int s = from; s < Math.min(to, index.subjects()); s++) {
        if (index.size(s) == 0) {
          continue;
        }
        byte[] key = index.key(s);
        org.credo.subject.SubjectKind kind = index.kind(s);
        SubjectId standIn = STAND_IN.get(kind);
        boolean free = scoreFree.contains(java.nio.ByteBuffer.wrap(key));
        List<Optional<Score>> scores = new ArrayList<>(policies.size());
        for (Policy policy : policies) {
          if (!policy.subjects().contains(kind)) {
            scores.add(Optional.empty());
            continue;
          }
          Score score = Scorer.score(indexedHistory(policy.ref(), key, standIn), at, at);
          scores.add(Optional.of(reviewed(key, score, free, at)));
        }
        out.add(new PopulationScores.Scored(key, kind, index.size(s), scores));
      }
    } finally {
      lock.readLock().unlock();
    }
    return Optional.of(out);
  }

  /** How many subjects the in-memory index holds; 0 when it is not built. */
  int indexedSubjects() {
    lock.readLock().lock();
    try {
      return index == null ? 0 : index.subjects();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * How many subjects with a number under {@code policy} at {@code at} score in each band: band
   * {@code i} is {@code [from[i], from[i + 1])}, the last one open above. The unscorable and the
   * score-free are in none. Reads the in-memory index when it holds the policy, else the store.
   */
  public long[] bandCounts(Policy policy, Instant at, double[] from) {
    long[] out = new long[from.length];
    Set<java.nio.ByteBuffer> scoreFree = store.scoringModes().scoreFreeAt(at);
    java.util.function.BiConsumer<byte[], Summary> count =
        (key, sum) -> {
          if (!sum.scorable() || scoreFree.contains(java.nio.ByteBuffer.wrap(key))) {
            return;
          }
          int b = 0;
          while (b + 1 < from.length && sum.value() >= from[b + 1]) {
            b++;
          }
          if (sum.value() >= from[0]) {
            out[b]++;
          }
        };
    lock.readLock().lock();
    try {
      if (index != null && index.holds(policy.ref())) {
        for (int s = 0; s < index.subjects(); s++) {
          int subject = s;
          index
              .summary(policy.ref(), s, at, at)
              .ifPresent(sum -> count.accept(index.key(subject), sum));
        }
        return out;
      }
    } finally {
      lock.readLock().unlock();
    }
    store.forEachSubject(
        (key, rows) -> {
          if (!policy.subjects().contains(rows.get(0).subjectKind())) {
            return;
          }
          SubjectId pseudonym = SubjectId.pseudonym(rows.get(0).subjectKind(), key);
          List<Record> records = new ArrayList<>(rows.size());
          rows.forEach(r -> records.add(r.toRecord(pseudonym)));
          count.accept(
              key, Scorer.summary(SubjectHistory.prepare(policy, pseudonym, records), at, at));
        });
    return out;
  }

  private static final java.util.concurrent.Executor DAEMONS =
      r -> {
        Thread t = new Thread(r, "credo-rescore");
        t.setDaemon(true);
        t.start();
      };

  private Distribution indexedDistribution(Policy policy, Instant at) {
    Set<java.nio.ByteBuffer> scoreFree = store.scoringModes().scoreFreeAt(at);
    int threads = Runtime.getRuntime().availableProcessors();
    int subjects = index.subjects();
    List<java.util.concurrent.CompletableFuture<Tally>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) subjects * t / threads);
      int to = (int) ((long) subjects * (t + 1) / threads);
      parts.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                Tally tally = new Tally(policy);
                for (int s = from; s < to; s++) {
                  Optional<Summary> summary = index.summary(policy.ref(), s, at, at);
                  if (summary.isPresent()) {
                    Summary sum = summary.get();
                    if (!scoreFree.isEmpty()
                        && scoreFree.contains(java.nio.ByteBuffer.wrap(index.key(s)))) {
                      sum = new Summary(sum.value(), sum.grade(), sum.lists(), false);
                    }
                    tally.add(sum, index.size(s));
                  }
                }
                return tally;
              },
              DAEMONS));
    }
    Tally total = new Tally(policy);
    parts.forEach(p -> total.merge(p.join()));
    return total.distribution(policy);
  }

  private Distribution storedDistribution(Policy policy, Instant at) {
    Set<java.nio.ByteBuffer> scoreFree = store.scoringModes().scoreFreeAt(at);
    Tally tally = new Tally(policy);
    store.forEachSubject(
        (key, rows) -> {
          if (!policy.subjects().contains(rows.get(0).subjectKind())) {
            return;
          }
          SubjectId pseudonym = SubjectId.pseudonym(rows.get(0).subjectKind(), key);
          List<Record> records = new ArrayList<>(rows.size());
          rows.forEach(r -> records.add(r.toRecord(pseudonym)));
          SubjectHistory h = SubjectHistory.prepare(policy, pseudonym, records);
          Summary sum = Scorer.summary(h, at, at);
          if (scoreFree.contains(java.nio.ByteBuffer.wrap(key))) {
            sum = new Summary(sum.value(), sum.grade(), sum.lists(), false);
          }
          tally.add(sum, rows.size());
        });
    return tally.distribution(policy);
  }
}
