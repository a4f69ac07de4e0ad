package org.credo.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.credo.records.Record;
import org.credo.records.RecordType;
import org.credo.records.SourceId;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store of sources, policies and records: append-only, idempotent on (source, record
 * id), bitemporal. One implementation over JDBC for both SQLite (the embedded default, a single
 * file under the data folder, WAL, fully synchronous commits) and PostgreSQL; the schema is
 * migrated with Flyway on open.
 *
 * <p>Subjects are stored only as their keyed hash ({@link Keys#pseudonym}); a caller asks about a
 * subject by its identifier and the store hashes it.
 *
 * <p>Sources and their suspensions are {@link #sources()} ({@link SourceRegistry}), policy versions
 * {@link #policies()} ({@link PolicyTexts}); the access tables, the audit log and list publication
 * have classes of their own too. Why this class is still long (~1 190 lines): the records' table on
 * two databases — appends in one transaction with their links, notices and subject index rows, the
 * deferred subject index and its sweeps, and the reads by subject, row and key that scoring and the
 * index need. Known debt: the deferred subject index's sweeping could be a class of its own.
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  /** Which database holds the store. */
  public enum Kind {
    SQLITE,
    POSTGRESQL
  }

  static final String DATABASE_FILE = "credo.db";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = "credo-store";

  private final Kind kind;
  private final HikariDataSource pool;
  private final HikariDataSource reads;
  private WalCheckpointer checkpointer; // SQLite only
  // SQLite only: the records' index by subject (migration V7), written with each append until a
  // server defers it (deferSubjectIndex).
  private volatile SubjectKeyIndex subjectIndex;
  private volatile Thread idleSweeper;
  private volatile long lastAppend = System.nanoTime();
  private final Keys keys;
  private final String location;
  private final Jdbc jdbc;
  private final SourceRegistry sources;
  private final PolicyTexts policies;
  private final Catalogues catalogues;
  private final ScoringModes scoringModes;
  private final Simulations simulations;

  /** Connections that only read, besides the embedded store's one writer. */
  private static final int READERS = 3;

  /** The embedded store's page caches, in KiB (each connection has its own). */
  private static final int WRITER_CACHE_KIB = 262_144;

  private static final int READER_CACHE_KIB = 32_768;

  private Store(
      Kind kind, HikariDataSource pool, HikariDataSource reads, Keys keys, String location) {
    this.kind = kind;
    this.pool = pool;
    this.reads = reads;
    this.jdbc = new Jdbc(pool, reads);
    this.sources = new SourceRegistry(jdbc);
    this.policies = new PolicyTexts(jdbc);
    this.catalogues = new Catalogues(jdbc);
    this.scoringModes = new ScoringModes(jdbc);
    this.simulations = new Simulations(jdbc);
    this.keys = keys;
    this.location = location;
  }

  /**
   * Opens the embedded store in {@code dir}, creating it when the folder is missing or empty and
   * {@code create} is true.
   *
   * @throws StoreException when the folder holds something that is not a Credo store
   */
  public static Store openFolder(Path dir, boolean create) {
    requireNonNull(dir, "dir is null");
    Path db = dir.resolve(DATABASE_FILE);
    boolean exists = Files.exists(db);
    if (!exists) {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new StoreException(dir + " is a file, not a Credo store folder");
      }
      if (!create) {
        throw new StoreException(dir + " holds no Credo store (no " + DATABASE_FILE + ")");
      }
      try {
        if (Files.isDirectory(dir)) {
          try (var entries = Files.list(dir)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
              throw new StoreException(
                  dir + " is not empty and holds no Credo store: give an empty or new folder");
            }
          }
        }
        Files.createDirectories(dir);
        ownerOnly(dir, "rwx------");
      } catch (IOException e) {
        throw new StoreException("cannot create " + dir + ": " + e.getMessage(), e);
      }
    }
    Keys keys = Keys.inFolder(dir, !exists);
    // The subject and (source, id) indexes take random keys: keep the writer's pages in memory.
    SqliteSource sqlite = new SqliteSource(db, WRITER_CACHE_KIB);
    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(sqlite);
    // One connection: SQLite has one writer, and one connection keeps commits in order.
    hikari.setMaximumPoolSize(1);
    hikari.setPoolName("credo-sqlite");
    hikari.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(hikari);
    // Queries outside transactions read on connections of their own, so that they do not wait for
    // the writer's commit (nor it for them).
    HikariConfig readers = new HikariConfig();
    readers.setDataSource(new SqliteSource(db, READER_CACHE_KIB));
    readers.setMaximumPoolSize(READERS);
    readers.setMinimumIdle(0);
    readers.setPoolName("credo-sqlite-reads");
    readers.setAutoCommit(true);
    Store store = new Store(Kind.SQLITE, pool, new HikariDataSource(readers), keys, db.toString());
    store.migrate("classpath:db/sqlite");
    // Personal data at rest: the database (and the WAL and shared-memory files SQLite creates with
    // the database's mode) readable by its owner only.
    ownerOnly(db, "rw-------");
    store.checkpointer = new WalCheckpointer(db);
    store.subjectIndex = new SubjectKeyIndex(SubjectKeyIndex.RECORDS, Duration.ZERO);
    return store;
  }

  /** Narrows a file's or folder's POSIX permissions (where the file system has them). */
  private static void ownerOnly(Path path, String mode) {
    try {
      Files.setPosixFilePermissions(
          path, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException | IOException e) {
      LOG.warn("cannot make {} readable by its owner only: {}", path, e.getMessage());
    }
  }

  /** Opens (and migrates) the store in a PostgreSQL database. */
  public static Store openPostgres(String jdbcUrl, String user, String password, Keys keys) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(jdbcUrl);
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(4);
    hikari.setPoolName("credo-postgresql");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
    }
    Store store = new Store(Kind.POSTGRESQL, pool, pool, keys, jdbcUrl);
    store.migrate("classpath:db/postgresql");
    return store;
  }

  private void migrate(String locations) {
    try {
      Flyway.configure().dataSource(pool).locations(locations).loggers("slf4j").load().migrate();
    } catch (FlywayException e) {
      close();
      throw new StoreException(
          "cannot migrate the store at " + location + ": " + e.getMessage(), e);
    }
    String fingerprint = keys.fingerprint();
    Optional<String> known = meta("key_fingerprint");
    if (known.isEmpty()) {
      setMeta("marker", MARKER);
      setMeta("key_fingerprint", fingerprint);
    } else if (!known.get().equals(fingerprint)) {
      close();
      throw new StoreException(
          "the keys given do not belong to the store at " + location + " (fingerprint differs)");
    }
    if (meta("free_text_sealed").isEmpty()) {
      int sealed = FreeTextSealing.run(jdbc, keys, kind == Kind.POSTGRESQL);
      if (sealed > 0) {
        LOG.info("sealed {} free texts about subjects that were stored in clear", sealed);
      }
      setMeta("free_text_sealed", "v1");
    }
    if (catalogues.active().isEmpty()) {
      // A new store (or one from before catalogues) starts with the catalogue Credo ships.
      catalogues.activate(
          Catalogues.shipped(),
          Catalogues.shippedYaml(),
          "credo:install",
          "the record-type catalogue shipped with Credo",
          java.time.Instant.now());
    }
  }

  public Kind kind() {
    return kind;
  }

  public Keys keys() {
    return keys;
  }

  /**
   * The store's connection pool, for features that keep their own tables in the same database
   * (migrations for them belong in {@code db/sqlite} and {@code db/postgresql}). SQLite has one
   * connection: hold it briefly.
   */
  public javax.sql.DataSource dataSource() {
    return pool;
  }

  /** Small JDBC helpers over this store's pool, for features with tables of their own. */
  public Jdbc jdbc() {
    return jdbc;
  }

  /**
   * Whether the database answers: a connection from the pool that the driver finds valid within
   * {@code seconds}. What a readiness check asks; never throws.
   */
  public boolean answers(int seconds) {
    try (Connection c = pool.getConnection()) {
      return c.isValid(seconds);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Where the store lives: a file path or a JDBC URL. */
  public String location() {
    return location;
  }

  // ---- sources and policies: tables of their own ------------------------------------------

  /** The registered sources, their suspensions and the records held meanwhile. */
  public SourceRegistry sources() {
    return sources;
  }

  /** The saved policy versions and their activations. */
  public PolicyTexts policies() {
    return policies;
  }

  /** The record-type catalogue's versions and activations. */
  public Catalogues catalogues() {
    return catalogues;
  }

  /** Each subject's scoring mode over time: scored, or score-free. */
  public ScoringModes scoringModes() {
    return scoringModes;
  }

  /** Saved policy simulations. */
  public Simulations simulations() {
    return simulations;
  }

  // ---- records ------------------------------------------------------------------------------

  /** A stored record as a link target: its subject's key and its row. */
  public record Stored(byte[] subjectKey, long seq) {}

  /** The stored record ids among {@code ids} of {@code source}, each with its subject and row. */
  public Map<String, Stored> existing(SourceId source, Collection<String> ids) {
    Map<String, Stored> out = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 500) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
      String marks = Jdbc.marks(chunk.size());
      Object[] args = new Object[chunk.size() + 1];
      args[0] = source.value();
      for (int i = 0; i < chunk.size(); i++) {
        args[i + 1] = chunk.get(i);
      }
      for (Object[] row :
          query(
              "SELECT record_id, subject_key, seq FROM records WHERE source_id = ? AND record_id"
                  + " IN ("
                  + marks
                  + ")",
              rs -> new Object[] {rs.getString(1), rs.getBytes(2), rs.getLong(3)},
              args)) {
        out.put((String) row[0], new Stored((byte[]) row[1], (Long) row[2]));
      }
    }
    return out;
  }

  /**
   * The stored records among {@code ids} of {@code source}, by id, as the database holds them: what
   * an import compares a record with when its (source, id) turns out to be stored already.
   */
  public Map<String, StoredRow> stored(SourceId source, Collection<String> ids) {
    Map<String, StoredRow> out = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 500) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
      Object[] args = new Object[chunk.size() + 1];
      args[0] = source.value();
      for (int i = 0; i < chunk.size(); i++) {
        args[i + 1] = chunk.get(i);
      }
      for (StoredRow row :
          query(
              "SELECT subject_key, subject_kind, source_id, record_id, type, occurred_us,"
                  + " learned_us, attributes, evidence, supersedes, retracts FROM records"
                  + " WHERE source_id = ? AND record_id IN ("
                  + Jdbc.marks(chunk.size())
                  + ")",
              rs ->
                  new StoredRow(
                      rs.getBytes(1),
                      SubjectKind.values()[rs.getInt(2)],
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getLong(6),
                      rs.getLong(7),
                      rs.getString(8),
                      rs.getString(9),
                      rs.getString(10),
                      rs.getString(11)),
              args)) {
        out.put(row.id(), row);
      }
    }
    return out;
  }

  /**
   * Appends records in one transaction, resolving the rows of the records they supersede or retract
   * (earlier in the list or already stored). A record whose (source, id) is already stored is left
   * as it is — the store is append-only and idempotent.
   *
   * @return for each record, true if it was stored now, false if it was already there
   */
  public boolean[] append(List<Record> records) {
    long[] targets = new long[records.size()];
    Map<String, Integer> earlier = new HashMap<>();
    Map<SourceId, List<String>> wanted = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      earlier.putIfAbsent(r.key(), i);
      r.targetKey().ifPresent(t -> wantKey(wanted, t));
    }
    Map<String, Stored> stored = new HashMap<>();
    wanted.forEach(
        (source, ids) ->
            existing(source, ids).forEach((id, st) -> stored.put(source + "/" + id, st)));
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      Optional<String> t = r.targetKey();
      if (t.isPresent()) {
        String key = t.get();
        Integer e = earlier.get(key);
        Stored s = stored.get(key);
        targets[i] = s != null ? s.seq() : e != null && e < i ? -(e + 1) : 0;
      }
    }
    long[] seqs = append(new Append(records, targets));
    boolean[] fresh = new boolean[seqs.length];
    for (int i = 0; i < seqs.length; i++) {
      fresh[i] = seqs[i] > 0;
    }
    return fresh;
  }

  /**
   * Adds a record key ({@code source/id}, {@link Record#targetKey}) to the ids wanted of its
   * source, for {@link #existing}; a key that cannot name a record is left out (it is then not
   * found).
   */
  public static void wantKey(Map<SourceId, List<String>> wanted, String key) {
    int slash = key.indexOf('/');
    if (slash <= 0) {
      return;
    }
    SourceId source;
    try {
      source = SourceId.of(key.substring(0, slash));
    } catch (IllegalArgumentException e) {
      return;
    }
    wanted.computeIfAbsent(source, x -> new ArrayList<>()).add(key.substring(slash + 1));
  }

  /**
   * Records to append with the rows they link to: {@code targets[i]} is the stored row record
   * {@code i} supersedes or retracts, {@code -(j + 1)} when it names record {@code j} of the same
   * list, or 0 when it names none. {@code notices[i]}, when not null, is what record {@code i}'s
   * subject must be told, as the outbox's row ({@code Outbox.row}, worked out before the
   * transaction); it goes to the outbox in the same transaction, only if the record is new.
   */
  public record Append(
      List<Record> records, long[] targets, List<? extends PendingRow> notices, AlsoWrite also) {
    /** Records to append, with no notice for their subjects. */
    public Append(List<Record> records, long[] targets) {
      this(records, targets, java.util.Collections.nCopies(records.size(), null));
    }

    /** Records to append, with notices for their subjects and nothing else. */
    public Append(List<Record> records, long[] targets, List<? extends PendingRow> notices) {
      this(records, targets, notices, (c, stored, rows, subjectKeys) -> {});
    }
  }

  /** Rows of other tables written in an append's transaction, once its records are inserted. */
  @FunctionalInterface
  public interface AlsoWrite {
    /**
     * @param rows each record's new row, or 0 when it was already stored
     * @param subjectKeys each record's subject pseudonym, as the append computed it
     */
    void write(Connection c, List<Record> records, long[] rows, byte[][] subjectKeys)
        throws SQLException;
  }

  /**
   * Appends records in one transaction, numbering their rows.
   *
   * @return for each record, its new row, or 0 when its (source, id) was already stored
   */
  public long[] append(Append batch) {
    List<Record> records = batch.records();
    long[] seqs = new long[records.size()];
    String sql =
        "INSERT INTO records (seq, source_id, record_id, subject_key, subject_kind, type,"
            + " occurred_us, learned_us, attributes, evidence, supersedes, retracts, target_seq,"
            + " match_check)"
            + (kind == Kind.POSTGRESQL ? " OVERRIDING SYSTEM VALUE" : "")
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (source_id, record_id) DO NOTHING";
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        long[] reserved = reserveSeqs(c, records.size());
        byte[][] subjectKeys = new byte[records.size()][];
        for (int i = 0; i < records.size(); i++) {
          Record r = records.get(i);
          subjectKeys[i] = keys.pseudonym(r.subject());
          seqs[i] = reserved[i];
          long target = batch.targets()[i];
          if (target < 0) {
            target = seqs[(int) (-target - 1)];
          }
          ps.setLong(1, seqs[i]);
          ps.setString(2, r.source().value());
          ps.setString(3, r.id());
          ps.setBytes(4, subjectKeys[i]);
          ps.setInt(5, r.subject().kind().ordinal());
          ps.setString(6, r.type().value());
          ps.setLong(7, micros(r.occurred()));
          ps.setLong(8, micros(r.learned()));
          ps.setString(9, r.attributes().isEmpty() ? null : attributesJson(r));
          ps.setString(10, r.evidence().orElse(null));
          ps.setString(11, r.supersedes().orElse(null));
          ps.setString(12, r.retracts().orElse(null));
          if (target > 0) {
            ps.setLong(13, target);
          } else {
            ps.setNull(13, java.sql.Types.BIGINT);
          }
          // Match evidence: which check the subject's identifier passed at intake.
          ps.setString(14, r.subject().isPseudonym() ? null : r.subject().matchCheck().code());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        Set<String> suspended =
            new HashSet<>(
                Jdbc.query(
                    c,
                    "SELECT source_id FROM source_status WHERE suspended_us IS NOT NULL",
                    rs -> rs.getString(1)));
        List<Long> nowHeld = new ArrayList<>();
        List<PendingRow> told = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] <= 0) {
            seqs[i] = 0;
          } else if (!suspended.isEmpty() && suspended.contains(records.get(i).source().value())) {
            nowHeld.add(seqs[i]);
            Jdbc.update(
                c,
                "INSERT INTO held_records (seq, held_us) VALUES (?, ?)",
                seqs[i],
                micros(records.get(i).learned()));
          } else if (batch.notices().get(i) != null) {
            told.add(batch.notices().get(i));
          }
        }
        PendingRow.insertAll(c, told);
        org.credo.store.fairness.FairnessVault.derive(c, keys, records, seqs, subjectKeys);
        SubjectKeyIndex index = subjectIndex;
        SubjectKeyIndex.Sweep swept = null;
        if (index != null && reserved.length > 0) {
          long head = reserved[reserved.length - 1];
          index.written(c, reserved[0] - 1, head, seqs, subjectKeys);
          swept = index.sweep(c, head, false, false);
        }
        batch.also().write(c, records, seqs, subjectKeys);
        c.commit();
        if (index != null) {
          index.committed(swept);
        }
        lastAppend = System.nanoTime();
        sources.held(nowHeld);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot append records: " + e.getMessage(), e);
    }
    return seqs;
  }

  /**
   * Reserves {@code n} rows inside the caller's write transaction, in increasing order (on SQLite
   * consecutive).
   */
  private long[] reserveSeqs(Connection c, int n) throws SQLException {
    long[] out = new long[n];
    if (kind == Kind.POSTGRESQL) {
      // nextval is atomic; reading it n times in one statement cannot hand the same row to two
      // concurrent appends (moving the sequence with setval could). Rows may interleave.
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT nextval(pg_get_serial_sequence('records', 'seq'))"
                  + " FROM generate_series(1, ?)")) {
        ps.setInt(1, n);
        try (ResultSet rs = ps.executeQuery()) {
          for (int i = 0; i < n && rs.next(); i++) {
            out[i] = rs.getLong(1);
          }
        }
      }
      Arrays.sort(out);
      return out;
    }
    // SQLite: the write lock is held from the transaction's start (IMMEDIATE), so no other writer
    // can take the same rows.
    try (PreparedStatement ps =
            c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM records");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long first = rs.getLong(1);
      for (int i = 0; i < n; i++) {
        out[i] = first + i;
      }
      return out;
    }
  }

  /** The records stored in rows {@code seqs}, in that order, told whose they are. */
  public List<Record> records(long[] seqs, SubjectId subject) {
    Map<Long, Record> found = new HashMap<>();
    for (Object[] row :
        byRows(
            "SELECT source_id, record_id, type, occurred_us, learned_us, attributes, evidence,"
                + " supersedes, retracts, seq FROM records",
            seqs,
            rs -> new Object[] {record(rs, subject), rs.getLong(10)})) {
      found.put((Long) row[1], (Record) row[0]);
    }
    List<Record> out = new ArrayList<>(seqs.length);
    for (long seq : seqs) {
      Record r = found.get(seq);
      if (r == null) {
        throw new StoreException("row " + seq + " holds no record");
      }
      out.add(r);
    }
    return out;
  }

  /** The source and id of the records in rows {@code seqs}: {@code {source, id}} by row. */
  public Map<Long, String[]> keysOf(long[] seqs) {
    Map<Long, String[]> out = new HashMap<>();
    for (Object[] row :
        byRows(
            "SELECT seq, source_id, record_id FROM records",
            seqs,
            rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)})) {
      out.put((Long) row[0], new String[] {(String) row[1], (String) row[2]});
    }
    return out;
  }

  /** Runs {@code select} for the given rows, 500 at a time. */
  private <T> List<T> byRows(String select, long[] seqs, Jdbc.Row<T> row) {
    return byRows(select, seqs, "", new Object[0], row);
  }

  /**
   * Runs {@code select} for the given rows, 500 at a time, with {@code and} (SQL starting with
   * {@code AND}, its parameters {@code andArgs}) added to the condition.
   */
  private <T> List<T> byRows(
      String select, long[] seqs, String and, Object[] andArgs, Jdbc.Row<T> row) {
    List<T> out = new ArrayList<>(seqs.length);
    for (int from = 0; from < seqs.length; from += 500) {
      int to = Math.min(seqs.length, from + 500);
      Object[] args = new Object[to - from + andArgs.length];
      for (int i = from; i < to; i++) {
        args[i - from] = seqs[i];
      }
      System.arraycopy(andArgs, 0, args, to - from, andArgs.length);
      out.addAll(query(select + " WHERE seq IN (" + Jdbc.marks(to - from) + ")" + and, row, args));
    }
    return out;
  }

  /** The highest row number in use (0 for an empty store). */
  public long lastSeq() {
    return query("SELECT COALESCE(MAX(seq), 0) FROM records", rs -> rs.getLong(1)).get(0);
  }

  /**
   * How many rows lie between the first and the last in use, both included: at least the number of
   * records, and as cheap to read as {@link #lastSeq} (a count would read every row).
   */
  public long seqSpan() {
    return query(
            // two subqueries: SQLite reads MAX or MIN alone from the end of the table, not both
            "SELECT COALESCE((SELECT MAX(seq) FROM records) - (SELECT MIN(seq) FROM records) + 1,"
                + " 0)",
            rs -> rs.getLong(1))
        .get(0);
  }

  /**
   * A connection for a long read that must not hold the store's own: on SQLite a new connection to
   * the same file (WAL lets it read while the store writes), on PostgreSQL one from the pool.
   */
  private Connection readConnection() throws SQLException {
    if (kind == Kind.SQLITE) {
      return SqliteSource.scanConnection(java.nio.file.Path.of(location));
    }
    return pool.getConnection();
  }

  /**
   * What the in-memory index needs of a stored record.
   *
   * @param source with {@code id} and {@code evidence}, given for the types asked for (else null)
   * @param tieKey {@link org.credo.scoring.RecordIndex#tieKey} of the record's source and id
   */
  public record IndexRow(
      long seq,
      byte[] subjectKey,
      SubjectKind subjectKind,
      String type,
      long occurredMicros,
      long learnedMicros,
      String attributes,
      boolean supersedes,
      boolean retracts,
      long targetSeq,
      String source,
      String id,
      String evidence,
      byte[] tieKey) {}

  /**
   * Streams every record in row order with the fields the in-memory index needs.
   *
   * @param withKeys the types whose rows also bring their source, id and evidence
   */
  public void forEachIndexRow(
      java.util.function.Predicate<String> withKeys, Consumer<IndexRow> visitor) {
    forEachIndexRow(withKeys, 0, Long.MAX_VALUE, visitor);
  }

  /**
   * As {@link #forEachIndexRow(java.util.function.Predicate, Consumer)}, for rows {@code from}
   * (exclusive) to {@code to} (inclusive), on a connection of its own: several ranges can be read
   * at once.
   */
  public void forEachIndexRow(
      java.util.function.Predicate<String> withKeys,
      long from,
      long to,
      Consumer<IndexRow> visitor) {
    String sql =
        "SELECT seq, subject_key, subject_kind, type, occurred_us, learned_us, attributes,"
            + " supersedes IS NOT NULL, retracts IS NOT NULL, target_seq, source_id, record_id,"
            + " evidence, source_id || ' ' || record_id FROM records WHERE seq > ? AND seq <= ?"
            + " ORDER BY seq";
    SubjectKind[] kinds = SubjectKind.values();
    boolean sqlite = kind == Kind.SQLITE;
    try (Connection c = readConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(10_000);
        ps.setLong(1, from);
        ps.setLong(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String type = rs.getString(4);
            boolean keys = withKeys.test(type);
            visitor.accept(
                new IndexRow(
                    rs.getLong(1),
                    rs.getBytes(2),
                    kinds[rs.getInt(3)],
                    type,
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getString(7),
                    rs.getBoolean(8),
                    rs.getBoolean(9),
                    rs.getLong(10),
                    keys ? rs.getString(11) : null,
                    keys ? rs.getString(12) : null,
                    keys ? rs.getString(13) : null,
                    // the tie key as SQL built it, in UTF-8 (SQLite hands a text's bytes as they
                    // are stored; PostgreSQL's driver is asked for the text)
                    sqlite
                        ? rs.getBytes(14)
                        : rs.getString(14).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          }
        }
        c.commit();
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read records: " + e.getMessage(), e);
    }
  }

  /** Every record about {@code subject} that counts (none held), in storage order. */
  public List<Record> records(SubjectId subject) {
    SubjectKeyIndex index = subjectIndex;
    if (index != null) {
      return recordsThroughIndex(index, subject);
    }
    return query(
        "SELECT source_id, record_id, type, occurred_us, learned_us, attributes, evidence,"
            + " supersedes, retracts FROM records WHERE subject_key = ?"
            + " AND seq NOT IN (SELECT seq FROM held_records) ORDER BY seq",
        rs -> record(rs, subject),
        (Object) keys.pseudonym(subject));
  }

  private List<Record> recordsThroughIndex(SubjectKeyIndex index, SubjectId subject) {
    byte[] key = keys.pseudonym(subject);
    // Those that may not be in the table first: one the sweep moves meanwhile is in it by then.
    TreeSet<Long> seqs = new TreeSet<>(index.recent(jdbc, key));
    seqs.addAll(index.page(jdbc, key, Long.MAX_VALUE, Integer.MAX_VALUE));
    List<Map.Entry<Long, Record>> found =
        new ArrayList<>(
            byRows(
                "SELECT source_id, record_id, type, occurred_us, learned_us, attributes, evidence,"
                    + " supersedes, retracts, seq FROM records",
                seqs.stream().mapToLong(Long::longValue).toArray(),
                " AND subject_key = ? AND seq NOT IN (SELECT seq FROM held_records)",
                new Object[] {key},
                rs -> Map.entry(rs.getLong(10), record(rs, subject))));
    found.sort(Map.Entry.comparingByKey());
    return found.stream().map(Map.Entry::getValue).toList();
  }

  /**
   * From now on the records' index by subject is written in sweeps that take {@code cycle} (on
   * SQLite; see {@link SubjectKeyIndex}): for a long-running server, or a bulk import that writes
   * the index once at its end ({@link #stopDeferringSubjectIndex}). Call it before appending. Only
   * one process may defer at a time: it holds a lock on {@value #DEFER_LOCK_FILE} in the store's
   * folder, which the operating system releases if the process dies. When another process (or
   * another store in this one) defers already, this store goes on writing the index with each
   * append. Closing the store writes what still waits.
   *
   * @return whether this call started deferring (false when not SQLite, when {@code cycle} is zero,
   *     when this store defers already, or when another process does)
   */
  public synchronized boolean deferSubjectIndex(Duration cycle) {
    if (kind != Kind.SQLITE || subjectIndex.deferred() || cycle.isZero()) {
      return false;
    }
    if (!takeDeferral()) {
      LOG.info(
          "another process defers the records' subject index of {}: this one writes it with each"
              + " append",
          location);
      return false;
    }
    SubjectKeyIndex deferred = new SubjectKeyIndex(SubjectKeyIndex.RECORDS, cycle);
    try (Connection c = pool.getConnection()) {
      deferred.load(c);
    } catch (SQLException e) {
      releaseDeferral();
      throw new StoreException("cannot read the records: " + e.getMessage(), e);
    }
    subjectIndex = deferred;
    idleSweeper = new Thread(this::sweepWhileIdle, "credo-record-index");
    idleSweeper.setDaemon(true);
    idleSweeper.start();
    return true;
  }

  /**
   * Writes every row the deferred subject index still holds in memory, in one transaction, and goes
   * back to writing them with each append; another process may then defer. Nothing happens when
   * this store does not defer.
   */
  public synchronized void stopDeferringSubjectIndex() {
    SubjectKeyIndex deferred = subjectIndex;
    if (deferred == null || !deferred.deferred()) {
      return;
    }
    stopIdleSweeper();
    // Appends read the field inside their write transaction: one that took the deferred index
    // commits before the sweep below takes the write lock, and its rows are swept with the rest.
    subjectIndex = new SubjectKeyIndex(SubjectKeyIndex.RECORDS, Duration.ZERO);
    try {
      sweep(deferred, true);
    } finally {
      releaseDeferral();
    }
  }

  /** The file whose lock says which process defers the records' subject index. */
  static final String DEFER_LOCK_FILE = "credo.index.lock";

  // Folders whose index a store of this process defers: a second lock on the same file from the
  // same process would throw, and closing any channel on it would drop the first one's lock.
  private static final Set<Path> DEFERRING = ConcurrentHashMap.newKeySet();
  private FileChannel deferralChannel;
  private Path deferralFile;

  private boolean takeDeferral() {
    Path file = Path.of(location).toAbsolutePath().normalize().resolveSibling(DEFER_LOCK_FILE);
    if (!DEFERRING.add(file)) {
      return false;
    }
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        channel.close(); // another process holds it; closing ours releases nothing of theirs
        DEFERRING.remove(file);
        return false;
      }
      deferralChannel = channel;
      deferralFile = file;
      return true;
    } catch (IOException e) {
      DEFERRING.remove(file);
      LOG.warn("cannot lock {}: {}", file, e.getMessage());
      return false;
    }
  }

  private void releaseDeferral() {
    if (deferralChannel == null) {
      return;
    }
    try {
      deferralChannel.close(); // releases the lock
    } catch (IOException e) {
      LOG.warn("cannot release {}: {}", deferralFile, e.getMessage());
    }
    DEFERRING.remove(deferralFile);
    deferralChannel = null;
    deferralFile = null;
  }

  private void stopIdleSweeper() {
    Thread sweeper = idleSweeper;
    idleSweeper = null;
    if (sweeper != null) {
      sweeper.interrupt();
      try {
        sweeper.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** For the migration test: the store as it was before V7, with no index table. */
  void subjectIndexOff() {
    subjectIndex = null;
  }

  /**
   * Once no append has come for a second, a few slices every 100 ms (appends sweep what is due
   * themselves). Not sooner: an import appends a batch every 100–150 ms, and a sweep in between
   * took the single write connection from it, with a commit of its own.
   */
  private void sweepWhileIdle() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(100);
        SubjectKeyIndex index = subjectIndex;
        if (index.waiting() > 0 && System.nanoTime() - lastAppend > 1_000_000_000L) {
          sweep(index, false);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("sweeping the records' subject index failed (retrying): {}", e.getMessage());
      }
    }
  }

  private void sweep(SubjectKeyIndex index, boolean all) {
    index.committed(
        jdbc.transaction(
            c -> {
              // Read under the write lock: every row up to it is committed.
              long head =
                  Jdbc.query(c, "SELECT COALESCE(MAX(seq), 0) FROM records", rs -> rs.getLong(1))
                      .get(0);
              return index.sweep(c, head, !all, all);
            }));
  }

  /**
   * Deletes records (retention's purge) in one transaction: their rows, their holds and their rows
   * in the subject index.
   */
  public void deleteRecords(List<Long> seqs) {
    if (seqs.isEmpty()) {
      return;
    }
    String marks = Jdbc.marks(seqs.size());
    Object[] args = seqs.toArray();
    List<Object[]> indexed =
        jdbc.transaction(
            c -> {
              List<Object[]> rows = List.of();
              if (kind == Kind.SQLITE) {
                rows =
                    Jdbc.query(
                        c,
                        "SELECT seq, subject_key FROM records WHERE seq IN (" + marks + ")",
                        rs -> new Object[] {rs.getLong(1), rs.getBytes(2)},
                        args);
                SubjectKeyIndex index = subjectIndex;
                if (index != null) {
                  index.remove(
                      c,
                      rows.stream().mapToLong(r -> (Long) r[0]).toArray(),
                      rows.stream().map(r -> (byte[]) r[1]).toArray(byte[][]::new));
                }
              }
              Jdbc.update(c, "DELETE FROM records WHERE seq IN (" + marks + ")", args);
              Jdbc.update(c, "DELETE FROM held_records WHERE seq IN (" + marks + ")", args);
              return rows;
            });
    SubjectKeyIndex index = subjectIndex;
    if (index != null && !indexed.isEmpty()) {
      // Once deleted for good: those still waiting are not to be indexed.
      index.forget(
          indexed.stream().mapToLong(r -> (Long) r[0]).toArray(),
          indexed.stream().map(r -> (byte[]) r[1]).toArray(byte[][]::new));
    }
  }

  /**
   * Each of the subject's records' match evidence, by {@code source/id}: the code of the check its
   * subject's identifier passed at intake ({@link org.credo.subject.MatchCheck}); a record stored
   * before match evidence was kept is absent.
   */
  public Map<String, String> matchChecks(SubjectId subject) {
    Map<String, String> out = new HashMap<>();
    query(
        "SELECT source_id, record_id, match_check FROM records WHERE subject_key = ?"
            + " AND match_check IS NOT NULL",
        rs -> {
          out.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
          return null;
        },
        (Object) keys.pseudonym(subject));
    return out;
  }

  /** The number of records stored. */
  public long recordCount() {
    return query("SELECT COUNT(*) FROM records", rs -> rs.getLong(1)).get(0);
  }

  /**
   * Streams every record in storage order, for rebuilding in-memory indexes: the subject is known
   * only by its key, so the visitor gets the key, the kind and the row's fields.
   */
  public void forEachRecord(Consumer<StoredRow> visitor) {
    scan("ORDER BY seq", visitor);
  }

  private void scan(String order, Consumer<StoredRow> visitor) {
    String sql =
        "SELECT subject_key, subject_kind, source_id, record_id, type, occurred_us, learned_us,"
            + " attributes, evidence, supersedes, retracts FROM records "
            + order;
    try (Connection c = pool.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            visitor.accept(
                new StoredRow(
                    rs.getBytes(1),
                    SubjectKind.values()[rs.getInt(2)],
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getLong(6),
                    rs.getLong(7),
                    rs.getString(8),
                    rs.getString(9),
                    rs.getString(10),
                    rs.getString(11)));
          }
        }
        c.commit();
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read records: " + e.getMessage(), e);
    }
  }

  /**
   * Streams every subject's records, one subject at a time (ordered by subject key), for
   * population-wide work such as rescoring.
   */
  public void forEachSubject(java.util.function.BiConsumer<byte[], List<StoredRow>> visitor) {
    List<StoredRow> current = new ArrayList<>();
    byte[][] key = {null};
    scan(
        "ORDER BY subject_key, seq",
        row -> {
          if (key[0] != null && !Arrays.equals(key[0], row.subjectKey())) {
            visitor.accept(key[0], List.copyOf(current));
            current.clear();
          }
          key[0] = row.subjectKey();
          current.add(row);
        });
    if (key[0] != null) {
      visitor.accept(key[0], List.copyOf(current));
    }
  }

  /** One stored record as the database holds it: the subject only as its key. */
  public record StoredRow(
      byte[] subjectKey,
      SubjectKind subjectKind,
      String source,
      String id,
      String type,
      long occurredMicros,
      long learnedMicros,
      String attributes,
      String evidence,
      String supersedes,
      String retracts) {
    /** The record, told whose it is. */
    public Record toRecord(SubjectId subject) {
      return new Record(
          SourceId.of(source),
          id,
          subject,
          RecordType.of(type),
          instant(occurredMicros),
          instant(learnedMicros),
          parseAttributes(attributes),
          Optional.ofNullable(evidence),
          Optional.ofNullable(supersedes),
          Optional.ofNullable(retracts));
    }
  }

  // ---- personal data --------------------------------------------------------------------------

  /** Stores a subject's display name, encrypted with the data key. */
  public void putDisplayName(SubjectId subject, String name) {
    byte[] key = keys.pseudonym(subject);
    update(
        "INSERT INTO subjects (subject_key, kind, personal_data) VALUES (?, ?, ?)"
            + " ON CONFLICT (subject_key) DO UPDATE SET personal_data = excluded.personal_data",
        key,
        subject.kind().ordinal(),
        keys.seal(name, key));
  }

  public Optional<String> displayName(SubjectId subject) {
    byte[] key = keys.pseudonym(subject);
    return query(
            "SELECT personal_data FROM subjects WHERE subject_key = ?",
            rs -> rs.getBytes(1),
            (Object) key)
        .stream()
        .filter(b -> b != null)
        .findFirst()
        .map(b -> keys.open(b, key));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private Optional<String> meta(String name) {
    return query("SELECT value FROM store_meta WHERE name = ?", rs -> rs.getString(1), name)
        .stream()
        .findFirst();
  }

  private void setMeta(String name, String value) {
    update(
        "INSERT INTO store_meta (name, value) VALUES (?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        name,
        value);
  }

  private <T> List<T> query(String sql, Jdbc.Row<T> row, Object... args) {
    return jdbc.query(sql, row, args);
  }

  private int update(String sql, Object... args) {
    return jdbc.update(sql, args);
  }

  private static String attributesJson(Record r) {
    ObjectNode node = JSON.createObjectNode();
    r.attributes()
        .forEach(
            (k, v) -> {
              if (v instanceof Double d) {
                node.put(k, d);
              } else if (v instanceof Boolean b) {
                node.put(k, b);
              } else {
                node.put(k, (String) v);
              }
            });
    return node.toString();
  }

  /** Attributes as stored (a JSON object, or null for none). */
  public static Map<String, Object> parseAttributes(String json) {
    if (json == null) {
      return Map.of();
    }
    // Streamed rather than read as a tree: start-up parses millions of these.
    try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new StoreException("stored attributes are not a JSON object: " + json, null);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.currentName();
        com.fasterxml.jackson.core.JsonToken t = p.nextToken();
        Object value;
        switch (t) {
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = p.getDoubleValue();
          case VALUE_TRUE -> value = true;
          case VALUE_FALSE -> value = false;
          case VALUE_STRING -> value = p.getText();
          case VALUE_NULL -> value = "null";
          default -> {
            p.skipChildren(); // Credo writes flat objects; anything nested reads as text
            value = "";
          }
        }
        out.put(name, value);
      }
      return out;
    } catch (IOException e) {
      throw new StoreException("stored attributes are not JSON: " + json, e);
    }
  }

  private static Record record(ResultSet rs, SubjectId subject) throws SQLException {
    return new Record(
        SourceId.of(rs.getString(1)),
        rs.getString(2),
        subject,
        RecordType.of(rs.getString(3)),
        instant(rs.getLong(4)),
        instant(rs.getLong(5)),
        parseAttributes(rs.getString(6)),
        Optional.ofNullable(rs.getString(7)),
        Optional.ofNullable(rs.getString(8)),
        Optional.ofNullable(rs.getString(9)));
  }

  static long micros(Instant i) {
    return Jdbc.micros(i);
  }

  static Instant instant(long micros) {
    return Jdbc.instant(micros);
  }

  @Override
  public void close() {
    try {
      stopDeferringSubjectIndex();
    } catch (RuntimeException e) {
      // What waits is read back from the records at the next start.
      LOG.warn("could not write the records' subject index on close: {}", e.getMessage());
    }
    if (checkpointer != null) {
      checkpointer.close();
    }
    if (reads != pool) {
      reads.close();
    }
    pool.close();
  }
}
