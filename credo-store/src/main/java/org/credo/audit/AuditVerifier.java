package org.credo.audit;

import java.nio.charset.StandardCharsets;
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
  private record Part(
      long lo,
      long hi,
      long count,
      long firstSeq,
      byte[] firstPrev,
      long lastSeq,
      byte[] lastHash,
      long bad,
      String reason) {}

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
    for (int i = 0; i < results.size(); i++) {
      Part p = results.get(i);
      entries += p.count();
      if (p.bad() > 0) {
        problems.add(new Problem(p.bad(), p.reason()));
      }
      // The join: the part's first entry must name the previous part's last entry.
      if (p.count() > 0 && p.firstSeq() == p.lo() + 1) {
        byte[] expected = i == 0 ? ChainHash.GENESIS : null;
        if (i > 0) {
          Part before = results.get(i - 1);
          expected = before.lastSeq() == p.lo() ? before.lastHash() : null;
        }
        if (expected != null && !Arrays.equals(expected, p.firstPrev())) {
          problems.add(new Problem(p.firstSeq(), linkReason(p.firstSeq())));
        }
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

  private static String linkReason(long seq) {
    return "entry "
        + seq
        + " does not name entry "
        + (seq - 1)
        + "'s hash as its predecessor: entries were removed, inserted or reordered";
  }

  /** Checks entries {@code lo + 1 … hi} on a connection of its own. */
  private static Part part(Store store, long lo, long hi, long[] cpSeqs, byte[][] cpHeads) {
    boolean sqlite = store.kind() == Store.Kind.SQLITE;
    ChainHash hasher = new ChainHash();
    long expected = lo + 1;
    long count = 0;
    long firstSeq = 0;
    byte[] firstPrev = null;
    byte[] prevHash = null;
    int ci = Arrays.binarySearch(cpSeqs, lo + 1);
    ci = ci < 0 ? -ci - 1 : ci;
    try (Connection c = readConnection(store)) {
      c.setAutoCommit(false); // one snapshot; PostgreSQL streams only inside a transaction
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT seq, at_us, actor, action, subject_key, detail, prev_hash, hash"
                  + " FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq")) {
        ps.setFetchSize(10_000);
        ps.setLong(1, lo);
        ps.setLong(2, hi);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long seq = rs.getLong(1);
            if (seq != expected) {
              return bad(lo, hi, count, firstSeq, firstPrev, expected, missing(expected, seq));
            }
            byte[] prev = rs.getBytes(7);
            byte[] hash = rs.getBytes(8);
            if (count == 0) {
              firstSeq = seq;
              firstPrev = prev;
            } else if (!Arrays.equals(prev, prevHash)) {
              return bad(lo, hi, count, firstSeq, firstPrev, seq, linkReason(seq));
            }
            byte[] computed =
                hasher.hash(
                    seq,
                    rs.getLong(2),
                    text(rs, 3, sqlite),
                    text(rs, 4, sqlite),
                    rs.getBytes(5),
                    text(rs, 6, sqlite),
                    prev);
            if (!Arrays.equals(computed, hash)) {
              return bad(
                  lo,
                  hi,
                  count,
                  firstSeq,
                  firstPrev,
                  seq,
                  "entry " + seq + " does not match its hash: its contents were changed");
            }
            if (ci < cpSeqs.length && cpSeqs[ci] == seq) {
              if (!Arrays.equals(cpHeads[ci], hash)) {
                return bad(
                    lo,
                    hi,
                    count,
                    firstSeq,
                    firstPrev,
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
            prevHash = hash;
            expected++;
          }
        }
        c.commit();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the audit log: " + e.getMessage(), e);
    }
    if (expected <= hi) {
      return bad(lo, hi, count, firstSeq, firstPrev, expected, missing(expected, -1));
    }
    return new Part(lo, hi, count, firstSeq, firstPrev, hi, prevHash, 0, "");
  }

  private static String missing(long expected, long found) {
    return "entry "
        + expected
        + " is missing"
        + (found > 0 ? " (the next entry held is " + found + ")" : "")
        + ": entries were deleted";
  }

  private static Part bad(
      long lo, long hi, long count, long firstSeq, byte[] firstPrev, long seq, String reason) {
    return new Part(lo, hi, count, firstSeq, firstPrev, -1, null, seq, reason);
  }

  private static byte[] text(ResultSet rs, int column, boolean sqlite) throws SQLException {
    // SQLite hands out a TEXT column's UTF-8 bytes as they are stored: no decoding and re-encoding.
    if (!sqlite) {
      return rs.getString(column).getBytes(StandardCharsets.UTF_8);
    }
    byte[] b = rs.getBytes(column);
    return b == null ? new byte[0] : b; // the columns are NOT NULL: null is an empty text
  }

  private static Connection readConnection(Store store) throws SQLException {
    if (store.kind() == Store.Kind.SQLITE) {
      return DriverManager.getConnection("jdbc:sqlite:" + store.location());
    }
    return store.dataSource().getConnection();
  }
}
