package org.credo.policy;

/** What a purpose's decision may reveal beyond allow / deny / refer and its reason codes. */
public enum Disclosure {
  SCORE("score"),
  GRADE("grade"),
  LISTS("lists"),
  FACTORS("factors");

  private final String word;

  Disclosure(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public static Disclosure parse(String word) {
    for (Disclosure d : values()) {
      if (d.word.equals(word)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "'" + word + "' cannot be disclosed: use score, grade, lists or factors");
  }
}
