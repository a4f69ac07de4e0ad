package org.credo.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.credo.policy.Purpose;

/** A registered relying party and the purposes it may ask about (SPEC §4.2). */
public record Party(String id, Set<Purpose> purposes, Instant registered) {
  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public Party {
    requireNonNull(id, "id is null");
    checkId(id);
    purposes = Set.copyOf(purposes);
    if (purposes.isEmpty()) {
      throw new IllegalArgumentException("a party needs at least one purpose");
    }
    requireNonNull(registered, "registered is null");
  }

  /** Checks a party id's shape. */
  public static String checkId(String id) {
    if (!SHAPE.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "party id '"
              + id
              + "' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    return id;
  }

  public boolean mayAsk(Purpose purpose) {
    return purposes.contains(purpose);
  }

  /** The purposes in name order. */
  public Set<Purpose> sortedPurposes() {
    return new TreeSet<>(purposes);
  }
}
