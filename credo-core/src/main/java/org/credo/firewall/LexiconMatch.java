package org.credo.firewall;

import static java.util.Objects.requireNonNull;

/**
 * A term of the lexicon found in a name or a text.
 *
 * @param category the category's id ({@code religion}, {@code other-people}…)
 * @param label the category in words, as refusals name it
 * @param term the lexicon's term that matched
 */
public record LexiconMatch(String category, String label, String term) {
  /** The category of names that reach other people: refused as guilt by association. */
  public static final String OTHER_PEOPLE = "other-people";

  public LexiconMatch {
    requireNonNull(category, "category is null");
    requireNonNull(label, "label is null");
    requireNonNull(term, "term is null");
  }

  /** Whether the match names other people rather than a protected characteristic. */
  public boolean aboutOtherPeople() {
    return category.equals(OTHER_PEOPLE);
  }

  /** {@code label: 'term'}, as a refusal names it. */
  public String describe() {
    return label + ": '" + term + "'";
  }
}
