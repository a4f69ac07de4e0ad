package org.credo.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.credo.store.Jdbc;
import org.credo.store.Store;
import org.credo.store.StoreException;

/**
 * Recomputes the chain. Every entry holds its own hash and its predecessor's, so the seq range is
 * cut into parts that are read and checked at once, each on a connection of its own; what joins the
 * parts (the first entry of one names the last of the one before) is checked at the end. Each entry
 * must be the next seq (none missing), name the previous entry's hash, and hash to its own hash;
 * each checkpoint must sign a head that the chain holds at its seq.
 */
final class AuditVerifier {
  private AuditVerifier() {}

  /** What one part of the chain showed. {@code bad} is 0 when the part is intact. */
  private record Part(long count, long bad, String reason) {}

  private record Problem(long seq, String reason) {}

  static Verification verify(
      Store store, Optional<SignatureCheck> signatures, int parallelism, long minPerPart) {
    long started = System.nanoTime();
    Jdbc db = new Jdbc(store.dataSource());
    long max = db.one("SELECT COALESCE(MAX(seq), 0) FROM audit_log", rs -> rs.getLong(1)).get();
    List<Checkpoint> checkpoints =
        db.query(
            "SELECT seq, head_hash, at_us, key_id, signature FROM audit_checkpoints ORDER BY seq",
            rs ->
                new Checkpoint(
                    rs.getLong(1),
                    rs.getBytes(2),
                    Jdbc.instant(rs.getLong(3)),
                    rs.getString(4),
                    rs.getBytes(5)));
    List<Problem> problems = new ArrayList<>();
    for (Checkpoint cp : checkpoints) {
      if (cp.seq() > max) {
        problems.add(
            new Problem(
                cp.seq(),
                "checkpoint "
                    + cp.seq()
                    + " names an entry the log does not hold: entries were removed from the end"));
      } else if (signatures.isPresent()
          && !signatures.get().verifies(cp.keyId(), cp.message(), cp.signature())) {
        problems.add(
            new Problem(
                cp.seq(),
                "the signature of checkpoint "
                    + cp.seq()
                    + " (key "
                    + cp.keyId()
                    + ") is not valid"));
      }
    }
    long[] cpSeqs = checkpoints.stream().mapToLong(Checkpoint::seq).toArray();
    byte[][] cpHeads = checkpoints.stream().map(Checkpoint::headHash).toArray(byte[][]::new);

    int parts = (int) Math.max(1, Math.min(parallelism, max / minPerPart));
    List<Part> results = new ArrayList<>();
    if (max > 0) {
      ExecutorService pool = Executors.newFixedThreadPool(parts);
      try {
        List<Future<Part>> futures = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
          long lo = max * i / parts;
          long hi = max * (i + 1) / parts;
          futures.add(pool.submit(() -> part(store, lo, hi, cpSeqs, cpHeads)));
        }
        for (Future<Part> f : futures) {
          results.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("audit verification interrupted", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof StoreException s
            ? s
            : new StoreException("cannot verify the audit log: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    long entries = 0;
    for (Part p : results) {
      entries += p.count();
      if (p.bad() > 0) {
        problems.add(new Problem(p.bad(), p.reason()));
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Problem first = problems.stream().min((a, b) -> Long.compare(a.seq(), b.seq())).orElse(null);
    return new Verification(
        entries,
        checkpoints.size(),
        signatures.isPresent(),
        first == null ? OptionalLong.empty() : OptionalLong.of(first.seq()),
        first == null ? "" : first.reason(),
        seconds);
  }

  /**
   * Checks entries {@code lo + 1 … hi} on a connection of its own. The fast pass reads only each
   * row's canonical form and computes the chain from row {@code lo}'s stored hash, comparing with
   * stored hashes only at signed checkpoints and at row {@code hi}: an intact log costs one column
   * a row. If anything differs, the strict pass finds the first bad entry by comparing every row's
   * stored hash.
   */
  private static Part part(Store store, long lo, long hi, long[] cpSeqs, byte[][] cpHeads) {
    Part fast = scan(store, lo, hi, cpSeqs, cpHeads, false);
    if (fast.bad() == 0) {
      return fast;
    }
    Part strict = scan(store, lo, hi, cpSeqs, cpHeads, true);
    return strict.bad() > 0 ? strict : fast;
  }

  private static Part scan(
      Store store, long lo, long hi, long[] cpSeqs, byte[][] cpHeads, boolean strict) {
    ChainHash hasher = new ChainHash();
    long expected = lo + 1;
    long count = 0;
    int ci = Arrays.binarySearch(cpSeqs, lo + 1);
    ci = ci < 0 ? -ci - 1 : ci;
    try (Connection c = readConnection(store)) {
      c.setAutoCommit(false); // one snapshot; PostgreSQL streams only inside a transaction
      byte[] prevHash = lo == 0 ? ChainHash.GENESIS : storedHash(c, lo);
      if (prevHash == null) {
        return new Part(count, lo, missing(lo, -1));
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT entry"
                  + (strict ? ", hash" : "")
                  + " FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq")) {
        ps.setFetchSize(10_000);
        ps.setLong(1, lo);
        ps.setLong(2, hi);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] canonical = rs.getBytes(1);
            if (canonical.length < 17) {
              return new Part(count, expected, "entry " + expected + " is unreadable");
            }
            long seq = ChainHash.seqOf(canonical);
            if (seq != expected) {
              return new Part(count, expected, missing(expected, seq));
            }
            boolean erased = ChainHash.isErased(canonical);
            if (erased && !strict && seq - 1 > lo) {
              // The chain restarts from an erased entry's stored hash: first make sure the chain
              // up to it is intact, so nothing before it can hide behind it.
              byte[] before = storedHash(c, seq - 1);
              if (!Arrays.equals(prevHash, before)) {
                return new Part(count, seq - 1, "entry " + (seq - 1) + " does not match its hash");
              }
            }
            // An erased entry lost its content and kept its hash: the chain goes on from it, so
            // changing that hash breaks the next entry (or the next signed checkpoint).
            byte[] computed =
                erased
                    ? (strict ? rs.getBytes(2) : storedHash(c, seq))
                    : hasher.hash(canonical, prevHash);
            if (strict && !erased) {
              byte[] stored = rs.getBytes(2);
              if (!Arrays.equals(computed, stored)) {
                return new Part(
                    count,
                    seq,
                    "entry "
                        + seq
                        + " does not match its hash: it or the entry before it was changed, or"
                        + " entries were reordered");
              }
            }
            if (ci < cpSeqs.length && cpSeqs[ci] == seq) {
              if (!Arrays.equals(cpHeads[ci], computed)) {
                return new Part(
                    count,
                    seq,
                    "checkpoint "
                        + seq
                        + " signed another head than the chain holds at "
                        + seq
                        + ": entries up to it were rewritten");
              }
              ci++;
            }
            count++;
            prevHash = computed;
            expected++;
          }
        }
      }
      if (expected <= hi) {
        return new Part(count, expected, missing(expected, -1));
      }
      if (!strict && !Arrays.equals(prevHash, storedHash(c, hi))) {
        return new Part(count, hi, "entry " + hi + " does not match its hash");
      }
      c.commit();
    } catch (SQLException e) {
      throw new StoreException("cannot read the audit log: " + e.getMessage(), e);
    }
    return new Part(count, 0, "");
  }

  private static byte[] storedHash(Connection c, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_log WHERE seq = ?")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  private static String missing(long expected, long found) {
    return "entry "
        + expected
        + (found > 0
            ? " is missing or out of place (entry " + found + " is where it belongs)"
            : " is missing")
        + ": entries were deleted or reordered";
  }

  private static Connection readConnection(Store store) throws SQLException {
    if (store.kind() == Store.Kind.SQLITE) {
      return DriverManager.getConnection("jdbc:sqlite:" + store.location());
    }
    return store.dataSource().getConnection();
  }
}
