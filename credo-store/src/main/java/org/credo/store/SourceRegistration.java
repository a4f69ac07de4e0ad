package org.credo.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.credo.records.RecordType;
import org.credo.records.SourceId;

/**
 * A registered data provider and the record types it may submit: each prefix covers a type family
 * ({@code court} covers {@code court.judgment_defaulter}) or one exact type.
 *
 * @param kind what kind of body it is (court, bank, utility, police, …): a record type's catalogue
 *     entry names the kinds that may submit it; empty for a source registered before kinds
 */
public record SourceRegistration(
    SourceId id, List<String> typePrefixes, Instant registered, Optional<String> kind) {
  /** A source without a kind. */
  public SourceRegistration(SourceId id, List<String> typePrefixes, Instant registered) {
    this(id, typePrefixes, registered, Optional.empty());
  }

  public SourceRegistration {
    requireNonNull(id, "id is null");
    requireNonNull(kind, "kind is null");
    if (kind.isPresent() && !kind.get().matches("[a-z][a-z0-9_]{0,31}")) {
      throw new IllegalArgumentException(
          "source kind '" + kind.get() + "' must be a lower-case word such as court or bank");
    }
    if (id.value().equals("credo")) {
      throw new IllegalArgumentException(
          "source id 'credo' is reserved for the records Credo writes itself (suppressions)");
    }
    typePrefixes =
        typePrefixes.stream()
            .map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p)
            .toList();
    if (typePrefixes.isEmpty()) {
      throw new IllegalArgumentException("a source needs at least one record type prefix");
    }
    for (String p : typePrefixes) {
      if (!p.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
        throw new IllegalArgumentException(
            "type prefix '" + p + "' must be dotted lower-case words such as court or bank.loan");
      }
    }
    requireNonNull(registered, "registered is null");
  }

  /** True when the source may submit records of {@code type}. */
  public boolean allows(RecordType type) {
    for (String p : typePrefixes) {
      if (type.isUnder(p)) {
        return true;
      }
    }
    return false;
  }
}
