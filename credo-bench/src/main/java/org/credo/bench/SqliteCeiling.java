package org.credo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.util.Locale;
import java.util.Random;

/**
 * What sqlite-jdbc alone can insert on this machine, durably (WAL, {@code synchronous=FULL}, 10 000
 * rows a transaction), for rows shaped like Credo's records — the ceiling any import into the
 * embedded store runs under, with no parsing, checking or hashing at all. Compares the table as it
 * is (a unique (source, id) index for idempotency and a subject index) with fewer indexes and with
 * a narrower row, and with records packed 1 000 to a row.
 *
 * <pre>
 * java -cp credo-bench/target/credo-bench.jar org.credo.bench.SqliteCeiling [ROWS]
 * </pre>
 */
public final class SqliteCeiling {
  private SqliteCeiling() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    for (String variant : new String[] {"as stored", "no subject index", "no index", "narrow"}) {
      System.out.printf(Locale.ROOT, "%-18s %,10.0f rows/s%n", variant, run(variant, rows));
    }
    System.out.printf(
        Locale.ROOT, "%-18s %,10.0f records/s%n", "packed 1000 a row", packed(rows, 1000));
  }

  /**
   * The same records packed 1 000 to a row (a length-prefixed binary body) with no index at all,
   * idempotency checked against an in-memory open-addressing set of 64-bit keys: what a store laid
   * out for bulk ingestion could take, durably, 10 000 records a transaction.
   */
  static double packed(int n, int perRow) throws Exception {
    Path dir = Files.createTempDirectory("credo-sqlite-packed-");
    long[] seen = new long[Integer.highestOneBit(Math.max(2, n * 2 - 1)) << 1];
    int mask = seen.length - 1;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute(
            "CREATE TABLE batches (first_seq INTEGER PRIMARY KEY, count INTEGER NOT NULL,"
                + " body BLOB NOT NULL)");
      }
      c.setAutoCommit(false);
      Random random = new Random(1);
      byte[] key = new byte[16];
      java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(perRow * 256);
      byte[] type = "utility.bill_paid_on_time".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      long first = 1;
      int inRow = 0;
      long t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batches VALUES (?, ?, ?)")) {
        for (int i = 0; i < n; i++) {
          if (i % 20 == 0) {
            random.nextBytes(key);
          }
          byte[] source = ("source-" + (i % 11)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          byte[] id =
              ("r" + (i / 20) + "-" + (i % 20)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          long h = java.util.Arrays.hashCode(source) * 0x9E3779B97F4A7C15L;
          h = (h ^ java.util.Arrays.hashCode(id)) * 0xC2B2AE3D27D4EB4FL ^ i * 0x165667B19E3779F9L;
          h = h == 0 ? 1 : h;
          int slot = (int) (h ^ (h >>> 32)) & mask;
          while (seen[slot] != 0 && seen[slot] != h) {
            slot = (slot + 1) & mask;
          }
          if (seen[slot] == h) {
            continue; // a duplicate
          }
          seen[slot] = h;
          byte[] evidence = ("evidence " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          body.put((byte) source.length).put(source).put((byte) id.length).put(id).put(key);
          body.put((byte) type.length).put(type).putLong(1_700_000_000_000_000L + i);
          body.putLong(1_700_000_000_000_000L).put((byte) evidence.length).put(evidence);
          if (++inRow == perRow || i == n - 1) {
            ps.setLong(1, first);
            ps.setInt(2, inRow);
            ps.setBytes(3, java.util.Arrays.copyOf(body.array(), body.position()));
            ps.executeUpdate();
            first += inRow;
            inRow = 0;
            body.clear();
            if ((first - 1) % 10_000 == 0 || i == n - 1) {
              c.commit();
            }
          }
        }
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    } finally {
      deleteFolder(dir);
    }
  }

  static double run(String variant, int n) throws Exception {
    Path dir = Files.createTempDirectory("credo-sqlite-ceiling-");
    String url = "jdbc:sqlite:" + dir.resolve("t.db");
    try (Connection c = DriverManager.getConnection(url)) {
      boolean narrow = variant.equals("narrow");
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        String columns =
            narrow
                ? "seq INTEGER PRIMARY KEY, source_id TEXT NOT NULL, record_id TEXT NOT NULL,"
                    + " subject_key BLOB NOT NULL, body BLOB"
                : "seq INTEGER PRIMARY KEY, source_id TEXT NOT NULL, record_id TEXT NOT NULL,"
                    + " subject_key BLOB NOT NULL, subject_kind INTEGER NOT NULL, type TEXT NOT"
                    + " NULL, occurred_us INTEGER NOT NULL, learned_us INTEGER NOT NULL,"
                    + " attributes TEXT, evidence TEXT, supersedes TEXT, retracts TEXT,"
                    + " target_seq INTEGER";
        boolean unique = !variant.equals("no index");
        s.execute(
            "CREATE TABLE records ("
                + columns
                + (unique ? ", UNIQUE (source_id, record_id)" : "")
                + ")");
        if (variant.equals("as stored") || narrow) {
          s.execute("CREATE INDEX records_by_subject ON records (subject_key)");
        }
      }
      c.setAutoCommit(false);
      String marks = narrow ? "?,?,?,?,?" : "?,?,?,?,?,?,?,?,?,?,?,?,?";
      String sql =
          "INSERT INTO records VALUES ("
              + marks
              + ")"
              + (variant.equals("no index")
                  ? ""
                  : " ON CONFLICT (source_id, record_id) DO NOTHING");
      Random random = new Random(1);
      byte[] key = new byte[16];
      long t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < n; i++) {
          if (i % 20 == 0) {
            random.nextBytes(key); // about twenty records a subject, subjects in random key order
          }
          ps.setLong(1, i + 1);
          ps.setString(2, "source-" + (i % 11));
          ps.setString(3, "r" + (i / 20) + "-" + (i % 20));
          ps.setBytes(4, key);
          if (narrow) {
            ps.setBytes(5, "{\"t\":\"utility.bill_paid_on_time\",\"o\":1700000000}".getBytes());
          } else {
            ps.setInt(5, 0);
            ps.setString(6, "utility.bill_paid_on_time");
            ps.setLong(7, 1_700_000_000_000_000L + i);
            ps.setLong(8, 1_700_000_000_000_000L);
            ps.setString(9, i % 5 == 0 ? "{\"hours\":3}" : null);
            ps.setString(10, "evidence " + i);
            ps.setNull(11, Types.VARCHAR);
            ps.setNull(12, Types.VARCHAR);
            ps.setNull(13, Types.BIGINT);
          }
          ps.addBatch();
          if ((i + 1) % 10_000 == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    } finally {
      deleteFolder(dir);
    }
  }

  /** Removes a benchmark's folder and the database files in it. */
  private static void deleteFolder(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }
}
