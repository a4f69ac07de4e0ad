package org.credo.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.credo.records.RecordType;
import org.credo.records.SourceId;

/**
 * A registered data provider and the record types it may submit: each prefix covers a type family
 * ({@code court} covers {@code court.judgment_defaulter}) or one exact type.
 */
public record SourceRegistration(SourceId id, List<String> typePrefixes, Instant registered) {
  public SourceRegistration {
    requireNonNull(id, "id is null");
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
