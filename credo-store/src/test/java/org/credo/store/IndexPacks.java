package org.credo.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** For tests: the entries a subject index's table holds, its packs unpacked. */
public final class IndexPacks {
  private IndexPacks() {}

  /** One seq of a pack, with the pack's generation and key. */
  public record Entry(long gen, byte[] key, long seq) {}

  public static final String RECORDS = SubjectKeyIndex.RECORDS.index();
  public static final String AUDIT_LOG = SubjectKeyIndex.AUDIT_LOG.index();

  /** Every entry of {@code table}, pack by pack. */
  public static List<Entry> entries(Jdbc db, String table) {
    List<Entry> out = new ArrayList<>();
    for (Object[] pack :
        db.query(
            "SELECT gen, subject_key, seqs FROM " + table + " ORDER BY gen, subject_key, last_seq",
            rs -> new Object[] {rs.getLong(1), rs.getBytes(2), rs.getBytes(3)})) {
      for (long seq : SubjectKeyIndex.seqs((byte[]) pack[2])) {
        out.add(new Entry((Long) pack[0], (byte[]) pack[1], seq));
      }
    }
    return out;
  }

  /**
   * How many seqs {@code table} indexes. A sweep repeated after a restart (of what a command beside
   * it wrote at once, or of what the last one wrote before the mark moved) may write a seq twice;
   * readers drop the repeat, and so does this count.
   */
  public static long count(Jdbc db, String table) {
    return entries(db, table).stream().mapToLong(Entry::seq).distinct().count();
  }

  /** What a crash leaves: the entries of seq {@code from} on never written. */
  public static void dropFrom(Jdbc db, String table, long from) {
    for (Object[] pack :
        db.query(
            "SELECT gen, subject_key, last_seq, seqs FROM " + table,
            rs -> new Object[] {rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getBytes(4)})) {
      long[] kept =
          Arrays.stream(SubjectKeyIndex.seqs((byte[]) pack[3])).filter(s -> s < from).toArray();
      db.update(
          "DELETE FROM " + table + " WHERE gen = ? AND subject_key = ? AND last_seq = ?",
          pack[0],
          pack[1],
          pack[2]);
      if (kept.length > 0) {
        db.update(
            "INSERT INTO " + table + " (gen, subject_key, last_seq, seqs) VALUES (?, ?, ?, ?)",
            pack[0],
            pack[1],
            kept[kept.length - 1],
            SubjectKeyIndex.pack(kept));
      }
    }
  }
}
