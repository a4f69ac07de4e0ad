package org.credo.policy;

/**
 * Severity tier of a rule, after the NDRC's publication windows: minor (≤ 3 months), general (3
 * months to a year), serious (1 to 3 years). A list entry lasts at most its tier's window unless
 * the list says otherwise.
 */
public enum Severity {
  MINOR("minor", TimeSpan.parse("P3M")),
  GENERAL("general", TimeSpan.parse("P1Y")),
  SERIOUS("serious", TimeSpan.parse("P3Y"));

  private final String word;
  private final TimeSpan publicationWindow;

  Severity(String word, TimeSpan publicationWindow) {
    this.word = word;
    this.publicationWindow = publicationWindow;
  }

  public String word() {
    return word;
  }

  /** The longest a list entry of this tier stays published. */
  public TimeSpan publicationWindow() {
    return publicationWindow;
  }

  public static Severity parse(String word) {
    for (Severity s : values()) {
      if (s.word.equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("severity '" + word + "' is not minor, general or serious");
  }
}
