package org.credo.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The words that mark what Credo refuses to score (SPEC §4.1). A name — a domain, a record type, an
 * attribute, a list, a factor or a purpose — is refused when its words, split on {@code .} and
 * {@code _}, contain one of these phrases.
 *
 * <p>Matching whole words keeps false alarms rare ({@code credit_union} is not {@code
 * trade_union}); a determined author could still hide a protected attribute behind a neutral name,
 * which is why providers are registered for the record types they may submit and policies are
 * reviewed before activation.
 */
public final class Safeguards {
  /** Protected phrase (words joined by a space) → the protected category it belongs to. */
  private static final Map<String, String> PROTECTED =
      Map.ofEntries(
          Map.entry("political", "political opinion"),
          Map.entry("politics", "political opinion"),
          Map.entry("party membership", "political opinion"),
          Map.entry("petition", "political opinion"),
          Map.entry("petitioning", "political opinion"),
          Map.entry("protest", "political opinion"),
          Map.entry("dissent", "political opinion"),
          Map.entry("religion", "religion or belief"),
          Map.entry("religious", "religion or belief"),
          Map.entry("belief", "religion or belief"),
          Map.entry("beliefs", "religion or belief"),
          Map.entry("faith", "religion or belief"),
          Map.entry("worship", "religion or belief"),
          Map.entry("ethnicity", "ethnicity or national origin"),
          Map.entry("ethnic", "ethnicity or national origin"),
          Map.entry("race", "ethnicity or national origin"),
          Map.entry("racial", "ethnicity or national origin"),
          Map.entry("national origin", "ethnicity or national origin"),
          Map.entry("nationality", "ethnicity or national origin"),
          Map.entry("sexual orientation", "sexual orientation or gender identity"),
          Map.entry("sexuality", "sexual orientation or gender identity"),
          Map.entry("sex life", "sexual orientation or gender identity"),
          Map.entry("gender identity", "sexual orientation or gender identity"),
          Map.entry("transgender", "sexual orientation or gender identity"),
          Map.entry("health", "health or disability"),
          Map.entry("medical", "health or disability"),
          Map.entry("disability", "health or disability"),
          Map.entry("disabled", "health or disability"),
          Map.entry("diagnosis", "health or disability"),
          Map.entry("illness", "health or disability"),
          Map.entry("trade union", "trade-union membership"),
          Map.entry("union membership", "trade-union membership"),
          Map.entry("biometric", "biometric or genetic data"),
          Map.entry("biometrics", "biometric or genetic data"),
          Map.entry("genetic", "biometric or genetic data"),
          Map.entry("genetics", "biometric or genetic data"),
          Map.entry("dna", "biometric or genetic data"),
          Map.entry("fingerprint", "biometric or genetic data"),
          Map.entry("facial", "biometric or genetic data"));

  /** Words that name other people: scoring them is guilt by association (SPEC §4.1). */
  private static final List<String> ASSOCIATION =
      List.of(
          "friend",
          "friends",
          "contact",
          "contacts",
          "relative",
          "relatives",
          "family",
          "spouse",
          "kin",
          "associate",
          "associates",
          "acquaintance",
          "neighbour",
          "neighbours",
          "neighbor",
          "neighbors",
          "classmate",
          "colleague",
          "colleagues",
          "social network",
          "social graph");

  private Safeguards() {}

  /** The protected category a name falls in, if any. */
  public static Optional<String> protectedCategory(String name) {
    String[] words = words(name);
    for (Map.Entry<String, String> entry : PROTECTED.entrySet()) {
      if (containsPhrase(words, entry.getKey().split(" "))) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /** The word that makes a name refer to other subjects, if any. */
  public static Optional<String> associationWord(String name) {
    String[] words = words(name);
    for (String phrase : ASSOCIATION) {
      if (containsPhrase(words, phrase.split(" "))) {
        return Optional.of(phrase);
      }
    }
    return Optional.empty();
  }

  private static String[] words(String name) {
    return name.toLowerCase(Locale.ROOT).split("[._\\-\\s]+");
  }

  private static boolean containsPhrase(String[] words, String[] phrase) {
    for (int i = 0; i + phrase.length <= words.length; i++) {
      boolean all = true;
      for (int j = 0; j < phrase.length && all; j++) {
        all = words[i + j].equals(phrase[j]);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
