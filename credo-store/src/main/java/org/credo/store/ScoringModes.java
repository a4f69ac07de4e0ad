package org.credo.store;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each subject's scoring mode over time (table {@code scoring_modes}, SPEC §4.6): {@code scored}
 * (the default) or {@code score_free}. Every change is kept with its instant, so that the mode in
 * effect at any instant — what a replay needs — can be read back. The table holds only the subjects
 * who ever changed their mode; it is read whole and kept until another change is seen.
 */
public final class ScoringModes {
  /** A subject's mode: scored (the default), or no score or grade at all. */
  public enum Mode {
    SCORED("scored"),
    SCORE_FREE("score_free");

    private final String word;

    Mode(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /**
     * @throws IllegalArgumentException naming the two modes
     */
    public static Mode parse(String word) {
      for (Mode m : values()) {
        if (m.word.equals(word)) {
          return m;
        }
      }
      throw new IllegalArgumentException("mode '" + word + "' is not one of scored, score_free");
    }
  }

  /** One change: to {@code mode} at {@code at}, by {@code actor}. */
  public record Change(Mode mode, Instant at, String actor) {}

  /** How long a read of the table is trusted before its version is asked again. */
  private static final long RECHECK_NANOS = 250_000_000L;

  private final Jdbc jdbc;
  private volatile Map<ByteBuffer, List<Change>> cached = Map.of();
  private volatile String cachedVersion = "0/0";
  private volatile long checkedAt = System.nanoTime() - RECHECK_NANOS;
  private volatile boolean stale = true;

  ScoringModes(Jdbc jdbc) {
    this.jdbc = requireNonNull(jdbc, "jdbc is null");
  }

  /** Records a change of the subject's mode. */
  public void set(byte[] subjectKey, Mode mode, Instant at, String actor) {
    jdbc.update(
        "INSERT INTO scoring_modes (subject_key, mode, at_us, actor) VALUES (?, ?, ?, ?)",
        subjectKey,
        mode.word(),
        micros(at),
        actor);
    stale = true;
  }

  /** The subject's mode in effect at {@code at}. */
  public Mode modeAt(byte[] subjectKey, Instant at) {
    return changeAt(subjectKey, at).map(Change::mode).orElse(Mode.SCORED);
  }

  /** The subject's last change at or before {@code at}; empty while it never changed its mode. */
  public java.util.Optional<Change> changeAt(byte[] subjectKey, Instant at) {
    List<Change> changes = current().get(ByteBuffer.wrap(subjectKey));
    return changes == null ? java.util.Optional.empty() : changeAt(changes, at);
  }

  /** The subject's changes, oldest first. */
  public List<Change> history(byte[] subjectKey) {
    return current().getOrDefault(ByteBuffer.wrap(subjectKey), List.of());
  }

  /** The keys of the subjects score-free at {@code at}. */
  public Set<ByteBuffer> scoreFreeAt(Instant at) {
    Set<ByteBuffer> out = new HashSet<>();
    current()
        .forEach(
            (key, changes) -> {
              if (changeAt(changes, at).map(Change::mode).orElse(Mode.SCORED) == Mode.SCORE_FREE) {
                out.add(key);
              }
            });
    return out;
  }

  /** Forgets the subject's changes (an erasure). */
  public int erase(byte[] subjectKey) {
    int n = jdbc.update("DELETE FROM scoring_modes WHERE subject_key = ?", (Object) subjectKey);
    stale = true;
    return n;
  }

  private static java.util.Optional<Change> changeAt(List<Change> changes, Instant at) {
    Change last = null;
    for (Change c : changes) {
      if (c.at().isAfter(at)) {
        break;
      }
      last = c;
    }
    return java.util.Optional.ofNullable(last);
  }

  private Map<ByteBuffer, List<Change>> current() {
    // Scoring asks on every score: the table's version (last seq and row count, so that a delete
    // shows too) is read at most every 250 ms, or at once after a change made here; another
    // process's change is seen within that time. The table is read again only when it changed.
    long now = System.nanoTime();
    if (!stale && now - checkedAt < RECHECK_NANOS) {
      return cached;
    }
    stale = false;
    checkedAt = now;
    String version =
        jdbc.one(
                "SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM scoring_modes",
                rs -> rs.getLong(1) + "/" + rs.getLong(2))
            .orElse("0/0");
    if (version.equals(cachedVersion)) {
      return cached;
    }
    Map<ByteBuffer, List<Change>> all = new HashMap<>();
    jdbc.query(
        "SELECT subject_key, mode, at_us, actor FROM scoring_modes ORDER BY at_us, seq",
        rs -> {
          all.computeIfAbsent(ByteBuffer.wrap(rs.getBytes(1)), k -> new ArrayList<>())
              .add(
                  new Change(Mode.parse(rs.getString(2)), instant(rs.getLong(3)), rs.getString(4)));
          return null;
        });
    Map<ByteBuffer, List<Change>> frozen = new HashMap<>();
    all.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    cached = Map.copyOf(frozen);
    cachedVersion = version;
    return cached;
  }

  /** Whether any subject ever chose a mode (an empty table costs a distribution nothing). */
  public boolean any() {
    return !current().isEmpty();
  }
}
