package org.credo.store;

import static java.util.Objects.requireNonNull;
import static org.credo.store.Jdbc.instant;
import static org.credo.store.Jdbc.micros;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.credo.records.SourceId;

/**
 * The registered sources (table {@code sources}), their suspensions ({@code source_status}) and the
 * records held while a source is suspended ({@code held_records}: stored, not scored), as {@link
 * Store#sources()} gives them. The held rows are also kept in memory, since every score asks
 * whether a row is held.
 */
public final class SourceRegistry {
  private final Jdbc jdbc;
  private final Set<Long> held = ConcurrentHashMap.newKeySet();
  private volatile boolean heldLoaded;

  SourceRegistry(Jdbc jdbc) {
    this.jdbc = requireNonNull(jdbc, "jdbc is null");
  }

  /** Registers a source, or replaces the record types an existing source may submit. */
  public void put(SourceRegistration source) {
    jdbc.update(
        "INSERT INTO sources (id, type_prefixes, registered_us, kind) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET type_prefixes = excluded.type_prefixes,"
            + " kind = excluded.kind",
        source.id().value(),
        String.join(",", source.typePrefixes()),
        micros(source.registered()),
        source.kind().orElse(null));
  }

  /** A registered source. */
  public Optional<SourceRegistration> get(SourceId id) {
    return jdbc.one(
        "SELECT id, type_prefixes, registered_us, kind FROM sources WHERE id = ?",
        SourceRegistry::sourceRow,
        id.value());
  }

  /** Every registered source, by id. */
  public List<SourceRegistration> all() {
    return jdbc.query(
        "SELECT id, type_prefixes, registered_us, kind FROM sources ORDER BY id",
        SourceRegistry::sourceRow);
  }

  private static SourceRegistration sourceRow(ResultSet rs) throws SQLException {
    return new SourceRegistration(
        SourceId.of(rs.getString(1)),
        Arrays.asList(rs.getString(2).split(",")),
        instant(rs.getLong(3)),
        Optional.ofNullable(rs.getString(4)));
  }

  /** Rows held because their source was suspended when they arrived: kept, not scored. */
  public Set<Long> heldRows() {
    if (!heldLoaded) {
      synchronized (held) {
        if (!heldLoaded) {
          held.addAll(jdbc.query("SELECT seq FROM held_records", rs -> rs.getLong(1)));
          heldLoaded = true;
        }
      }
    }
    return Collections.unmodifiableSet(held);
  }

  public boolean isHeld(long seq) {
    if (!heldLoaded) {
      heldRows();
    }
    return !held.isEmpty() && held.contains(seq);
  }

  /** Rows an append of this store has just held (committed). */
  void held(Collection<Long> seqs) {
    held.addAll(seqs);
  }

  /**
   * Reads the held rows again: another process may have held records (an import of a suspended
   * source's records) or released them ({@code credo source resume}).
   *
   * @return the rows this store held and the database no longer does
   */
  public Set<Long> reloadHeld() {
    heldRows();
    Set<Long> now = new HashSet<>(jdbc.query("SELECT seq FROM held_records", rs -> rs.getLong(1)));
    held.addAll(now);
    List<Long> gone = held.stream().filter(seq -> !now.contains(seq)).toList();
    if (gone.isEmpty()) {
      return Set.of();
    }
    // Held by an append that committed after the read above: still held.
    Set<Long> still = new HashSet<>();
    for (int from = 0; from < gone.size(); from += 500) {
      List<Long> chunk = gone.subList(from, Math.min(gone.size(), from + 500));
      still.addAll(
          jdbc.query(
              "SELECT seq FROM held_records WHERE seq IN (" + Jdbc.marks(chunk.size()) + ")",
              rs -> rs.getLong(1),
              chunk.toArray()));
    }
    Set<Long> released = new HashSet<>(gone);
    released.removeAll(still);
    held.removeAll(released);
    return released;
  }

  /** Suspends a source: from now on its new records are stored but held, not scored. */
  public void suspend(SourceId source, String reason, Instant at) {
    jdbc.update(
        "INSERT INTO source_status (source_id, suspended_us, reason) VALUES (?, ?, ?)"
            + " ON CONFLICT (source_id) DO UPDATE SET suspended_us = excluded.suspended_us,"
            + " reason = excluded.reason",
        source.value(),
        micros(at),
        reason);
  }

  /** When the source was suspended and why; empty when it is not. */
  public Optional<Map.Entry<Instant, String>> suspension(SourceId source) {
    return jdbc.one(
        "SELECT suspended_us, reason FROM source_status WHERE source_id = ? AND suspended_us"
            + " IS NOT NULL",
        rs -> Map.entry(instant(rs.getLong(1)), rs.getString(2)),
        source.value());
  }

  /**
   * Ends a source's suspension and releases its held records: they count from {@code at} on (Credo
   * learned them, as far as scores are concerned, when it released them).
   *
   * @return how many records were released
   */
  public int resume(SourceId source, Instant at) {
    List<Long> released =
        jdbc.transaction(
            c -> {
              List<Long> rows =
                  Jdbc.query(
                      c,
                      "SELECT h.seq FROM held_records h JOIN records r ON r.seq = h.seq"
                          + " WHERE r.source_id = ?",
                      rs -> rs.getLong(1),
                      source.value());
              for (Long seq : rows) {
                Jdbc.update(c, "UPDATE records SET learned_us = ? WHERE seq = ?", micros(at), seq);
                Jdbc.update(c, "DELETE FROM held_records WHERE seq = ?", seq);
              }
              Jdbc.update(
                  c,
                  "UPDATE source_status SET suspended_us = NULL, reason = NULL WHERE source_id = ?",
                  source.value());
              return rows;
            });
    heldRows();
    held.removeAll(released);
    return released.size();
  }
}
