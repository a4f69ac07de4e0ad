package org.credo.lists;

/** A red list recognises (perks); a black list restricts. */
public enum ListKind {
  RED("red"),
  BLACK("black");

  private final String word;

  ListKind(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public static ListKind parse(String word) {
    for (ListKind k : values()) {
      if (k.word.equals(word)) {
        return k;
      }
    }
    throw new IllegalArgumentException("list kind '" + word + "' is not red or black");
  }
}
