package org.credo.catalogue;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.credo.policy.Domain;
import org.credo.policy.Severity;
import org.credo.policy.TimeSpan;
import org.credo.records.RecordType;

/**
 * One record type Credo may hold, and why: what it is in plain language, the law or contract that
 * allows collecting it, whether it counts against or for a subject, for how long it may be kept,
 * who may submit it and what it may carry.
 *
 * @param keptByLaw the basis obliges keeping the record for its retention, even against a request
 *     to erase it
 * @param sources the kinds of source that may submit it (court, bank, utility, …)
 */
public record CatalogueEntry(
    RecordType type,
    Domain domain,
    String description,
    String basis,
    Direction direction,
    Optional<Severity> severity,
    TimeSpan retention,
    boolean keptByLaw,
    List<String> sources,
    List<AttributeSchema> attributes) {
  public CatalogueEntry {
    requireNonNull(type, "type is null");
    requireNonNull(domain, "domain is null");
    requireNonNull(description, "description is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(direction, "direction is null");
    requireNonNull(severity, "severity is null");
    requireNonNull(retention, "retention is null");
    sources = List.copyOf(sources);
    attributes = List.copyOf(attributes);
  }

  /** The attribute schemas by name. */
  public Map<String, AttributeSchema> attributesByName() {
    return attributes.stream()
        .collect(Collectors.toUnmodifiableMap(AttributeSchema::name, Function.identity()));
  }

  /** The schema of one attribute, if the type declares it (intake asks for every attribute). */
  public Optional<AttributeSchema> attribute(String name) {
    for (AttributeSchema a : attributes) {
      if (a.name().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
