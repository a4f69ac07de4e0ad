package org.credo.catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.credo.records.RecordType;

/** What changes from one catalogue to another: types added and removed, and fields changed. */
public final class CatalogueDiff {
  private CatalogueDiff() {}

  /**
   * One line per change, in type order: {@code + type}, {@code - type}, {@code ~ type: field …}.
   */
  public static List<String> lines(Catalogue from, Catalogue to) {
    List<String> out = new ArrayList<>();
    TreeSet<RecordType> types = new TreeSet<>(from.entries().keySet());
    types.addAll(to.entries().keySet());
    for (RecordType t : types) {
      CatalogueEntry a = from.entries().get(t);
      CatalogueEntry b = to.entries().get(t);
      if (a == null) {
        out.add(
            "+ "
                + t.value()
                + " ("
                + b.direction().word()
                + ", "
                + b.retention()
                + ", basis: "
                + b.basis()
                + ")");
      } else if (b == null) {
        out.add("- " + t.value());
      } else {
        field(out, t, "domain", a.domain().name(), b.domain().name());
        field(out, t, "description", a.description(), b.description());
        field(out, t, "basis", a.basis(), b.basis());
        field(out, t, "direction", a.direction().word(), b.direction().word());
        field(
            out,
            t,
            "severity",
            a.severity().map(s -> s.word()).orElse("none"),
            b.severity().map(s -> s.word()).orElse("none"));
        field(out, t, "retention", a.retention().toString(), b.retention().toString());
        field(
            out,
            t,
            "kept_by_law",
            Boolean.toString(a.keptByLaw()),
            Boolean.toString(b.keptByLaw()));
        field(out, t, "sources", String.join(",", a.sources()), String.join(",", b.sources()));
        TreeSet<String> names = new TreeSet<>(a.attributesByName().keySet());
        names.addAll(b.attributesByName().keySet());
        for (String n : names) {
          field(
              out,
              t,
              "attribute " + n,
              a.attribute(n).map(CatalogueDiff::describe).orElse("none"),
              b.attribute(n).map(CatalogueDiff::describe).orElse("none"));
        }
      }
    }
    java.util.Map<String, org.credo.firewall.Exemption> was = new java.util.TreeMap<>();
    from.exemptions().forEach(e -> was.put(e.name(), e));
    java.util.Map<String, org.credo.firewall.Exemption> now = new java.util.TreeMap<>();
    to.exemptions().forEach(e -> now.put(e.name(), e));
    TreeSet<String> exempted = new TreeSet<>(was.keySet());
    exempted.addAll(now.keySet());
    for (String n : exempted) {
      var a = was.get(n);
      var b = now.get(n);
      if (a == null) {
        out.add(
            "+ exemption " + n + " allows " + String.join(", ", b.allows()) + ": " + b.reason());
      } else if (b == null) {
        out.add("- exemption " + n);
      } else if (!a.equals(b)) {
        out.add(
            "~ exemption " + n + " allows " + String.join(", ", b.allows()) + ": " + b.reason());
      }
    }
    return out;
  }

  private static void field(List<String> out, RecordType t, String field, String a, String b) {
    if (!Objects.equals(a, b)) {
      out.add("~ " + t.value() + ": " + field + ": " + a + " -> " + b);
    }
  }

  /** An attribute's schema in one line, e.g. {@code number 1..120 months}. */
  public static String describe(AttributeSchema s) {
    StringBuilder b = new StringBuilder(s.type().word());
    if (s.min().isPresent() || s.max().isPresent()) {
      b.append(' ')
          .append(s.min().isPresent() ? AttributeSchema.number(s.min().getAsDouble()) : "")
          .append("..")
          .append(s.max().isPresent() ? AttributeSchema.number(s.max().getAsDouble()) : "");
    }
    s.unit().ifPresent(u -> b.append(' ').append(u));
    if (!s.values().isEmpty()) {
      b.append(" one of ").append(String.join("|", s.values()));
    }
    return b.toString();
  }
}
