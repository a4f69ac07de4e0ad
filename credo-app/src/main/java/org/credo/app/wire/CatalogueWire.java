package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.credo.catalogue.AttributeSchema;
import org.credo.catalogue.CatalogueEntry;
import org.credo.store.Catalogues;

/** The active record-type catalogue, as anyone may read it: every type with its legal basis. */
public record CatalogueWire(
    String name,
    int version,
    String activatedAt,
    String approvedBy,
    String reason,
    List<EntryWire> entries,
    List<ExemptionWire> exemptions) {

  /** A reviewed exemption from the firewall's lexicon: the exact name, the terms, and why. */
  public record ExemptionWire(String name, List<String> allows, String reason) {}

  /** One record type. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EntryWire(
      String type,
      String domain,
      String description,
      String basis,
      String direction,
      String severity,
      String retention,
      boolean keptByLaw,
      List<String> sources,
      List<AttributeWire> attributes) {}

  /** One attribute's schema. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AttributeWire(
      String name, String type, String unit, Num min, Num max, List<String> values) {}

  public static CatalogueWire of(Catalogues.Active active) {
    return new CatalogueWire(
        active.catalogue().name(),
        active.catalogue().version(),
        active.activation().at().toString(),
        active.activation().approvedBy(),
        active.activation().reason(),
        active.catalogue().entries().values().stream().map(CatalogueWire::entry).toList(),
        active.catalogue().exemptions().stream()
            .map(e -> new ExemptionWire(e.name(), List.copyOf(e.allows()), e.reason()))
            .toList());
  }

  private static EntryWire entry(CatalogueEntry e) {
    return new EntryWire(
        e.type().value(),
        e.domain().name(),
        e.description(),
        e.basis(),
        e.direction().word(),
        e.severity().map(s -> s.word()).orElse(null),
        e.retention().toString(),
        e.keptByLaw(),
        e.sources(),
        e.attributes().stream().map(CatalogueWire::attribute).toList());
  }

  private static AttributeWire attribute(AttributeSchema a) {
    return new AttributeWire(
        a.name(),
        a.type().word(),
        a.unit().orElse(null),
        a.min().isPresent() ? new Num(a.min().getAsDouble()) : null,
        a.max().isPresent() ? new Num(a.max().getAsDouble()) : null,
        a.values().isEmpty() ? null : a.values());
  }
}
