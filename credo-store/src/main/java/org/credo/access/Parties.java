package org.credo.access;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.credo.policy.Purpose;
import org.credo.store.Jdbc;

/** Registered relying parties. Lookups on the decision path are cached for ten seconds. */
public final class Parties {
  private static final long CACHE_NANOS = 10_000_000_000L;

  private record Cached(Optional<Party> party, long loadedNanos) {}

  private final Jdbc db;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Parties(DataSource pool) {
    this.db = new Jdbc(pool);
  }

  /** Registers a party, or replaces the purposes of a registered one. */
  public void put(Party party) {
    db.update(
        "INSERT INTO parties (id, purposes, registered_us) VALUES (?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET purposes = excluded.purposes",
        party.id(),
        party.sortedPurposes().stream().map(Purpose::name).collect(Collectors.joining(",")),
        Jdbc.micros(party.registered()));
    cache.remove(party.id());
  }

  public Optional<Party> find(String id) {
    return db.one("SELECT id, purposes, registered_us FROM parties WHERE id = ?", Parties::row, id);
  }

  /** {@link #find}, remembered for ten seconds. */
  public Optional<Party> cached(String id) {
    long now = System.nanoTime();
    Cached c = cache.get(id);
    if (c == null || now - c.loadedNanos() > CACHE_NANOS) {
      c = new Cached(find(id), now);
      cache.put(id, c);
    }
    return c.party();
  }

  /** Forgets what {@link #cached} remembers: another process changed the parties. */
  public void forget() {
    cache.clear();
  }

  public List<Party> list() {
    return db.query("SELECT id, purposes, registered_us FROM parties ORDER BY id", Parties::row);
  }

  private static Party row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Party(
        rs.getString(1),
        Arrays.stream(rs.getString(2).split(",")).map(Purpose::of).collect(Collectors.toSet()),
        Jdbc.instant(rs.getLong(3)));
  }
}
