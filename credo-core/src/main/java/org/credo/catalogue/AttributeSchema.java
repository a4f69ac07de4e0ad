package org.credo.catalogue;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.credo.policy.AttributeType;

/**
 * One attribute a record type may carry: its name, type, unit, and the range or the values it may
 * take. A record's attribute outside its type's schema is refused at intake.
 *
 * @param values for a string attribute, the only values allowed (empty: any text)
 */
public record AttributeSchema(
    String name,
    AttributeType type,
    Optional<String> unit,
    OptionalDouble min,
    OptionalDouble max,
    List<String> values) {
  public AttributeSchema {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(unit, "unit is null");
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
    values = List.copyOf(values);
  }

  /** What is wrong with {@code value} for this attribute, in the record's terms; empty if fine. */
  public Optional<String> problem(Object value) {
    if (!type.accepts(value)) {
      return Optional.of("attribute '" + name + "' must be a " + type.word());
    }
    if (value instanceof Double d) {
      if (min.isPresent() && d < min.getAsDouble() || max.isPresent() && d > max.getAsDouble()) {
        return Optional.of(
            "attribute '"
                + name
                + "' is "
                + number(d)
                + ", outside "
                + (min.isPresent() ? number(min.getAsDouble()) : "")
                + ".."
                + (max.isPresent() ? number(max.getAsDouble()) : "")
                + unit.map(u -> " " + u).orElse(""));
      }
    }
    if (value instanceof String s && !values.isEmpty() && !values.contains(s)) {
      return Optional.of(
          "attribute '" + name + "' is '" + s + "', not one of " + String.join(", ", values));
    }
    return Optional.empty();
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
