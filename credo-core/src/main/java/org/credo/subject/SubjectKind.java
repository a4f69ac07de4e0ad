package org.credo.subject;

/** The two kinds of subject Credo scores. */
public enum SubjectKind {
  PERSON("person"),
  ORG("org");

  private final String prefix;

  SubjectKind(String prefix) {
    this.prefix = prefix;
  }

  /** The prefix used in the textual form, e.g. {@code person}. */
  public String prefix() {
    return prefix;
  }

  /** Parses {@code person} or {@code org}. */
  public static SubjectKind parse(String text) {
    for (SubjectKind kind : values()) {
      if (kind.prefix.equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown subject kind '" + text + "': use person or org");
  }
}
