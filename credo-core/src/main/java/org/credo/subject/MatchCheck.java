package org.credo.subject;

/**
 * How a record's subject was matched at intake (the record's match evidence): by an identifier of
 * the subject's own, never by a name, and which check that identifier passed. Kept with each record
 * and shown in the subject's report next to it.
 */
public enum MatchCheck {
  /** An 18-character PRC resident identity number whose check character was verified. */
  PRC_RESIDENT_ID(
      "prc_resident_id",
      "PRC resident identity number (GB 11643-1999): its ISO 7064 MOD 11-2 check character was"
          + " verified"),
  /** A unified social credit code whose check character was verified. */
  USCC("uscc", "unified social credit code (GB 32100-2015): its check character was verified"),
  /** Another national identifier: only its form can be checked. */
  NATIONAL_ID(
      "national_id",
      "national identifier: 1 to 64 letters, digits or '-'; it has no check character, so only"
          + " its form was checked");

  private final String code;
  private final String description;

  MatchCheck(String code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The code kept with the record. */
  public String code() {
    return code;
  }

  /** What the check was, in a subject's terms. */
  public String description() {
    return description;
  }

  /** The check of {@code code}, if it is one. */
  public static java.util.Optional<MatchCheck> of(String code) {
    for (MatchCheck m : values()) {
      if (m.code.equals(code)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }
}
