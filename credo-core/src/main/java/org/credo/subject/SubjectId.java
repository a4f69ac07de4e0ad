package org.credo.subject;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A person ({@code person:<id>}) or an organisation ({@code org:<unified social credit code>}).
 *
 * <p>An 18-character PRC resident identity number has its ISO 7064 MOD 11-2 check character
 * verified; other national identifiers are opaque (letters, digits and {@code -}, at most 64
 * characters). An organisation id must be a valid GB 32100-2015 unified social credit code.
 */
public record SubjectId(SubjectKind kind, String id) implements Comparable<SubjectId> {
  private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern PRC_SHAPE = Pattern.compile("[0-9]{17}[0-9Xx]");
  private static final Pattern PSEUDONYM = Pattern.compile("~[0-9a-f]{32}");

  public SubjectId {
    requireNonNull(kind, "kind is null");
    requireNonNull(id, "id is null");
    String problem = problem(kind, id);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses {@code person:<id>} or {@code org:<code>}.
   *
   * @throws IllegalArgumentException with a one-line reason when the text is not a valid subject
   */
  public static SubjectId parse(String text) {
    requireNonNull(text, "text is null");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "subject '" + text + "' must look like person:<id> or org:<unified social credit code>");
    }
    SubjectKind kind = SubjectKind.parse(text.substring(0, colon));
    String id = text.substring(colon + 1);
    if (id.startsWith("~")) {
      throw new IllegalArgumentException(
          "subject '" + text + "' is a pseudonym: give the subject's own identifier");
    }
    if (kind == SubjectKind.PERSON && id.length() == 18 && id.endsWith("x")) {
      id = id.substring(0, 17) + "X";
    }
    return new SubjectId(kind, id);
  }

  /**
   * A subject known only by its keyed hash in a store, for population-wide work (rescoring,
   * statistics) where the raw identifier is deliberately not at hand.
   */
  public static SubjectId pseudonym(SubjectKind kind, byte[] key) {
    if (key.length != 16) {
      throw new IllegalArgumentException("a pseudonym key has 16 bytes");
    }
    return new SubjectId(kind, "~" + java.util.HexFormat.of().formatHex(key));
  }

  private static final Pattern IDENTIFIER_SHAPE =
      Pattern.compile(
          "(?i)(?:person|org):.*|~[0-9a-f]{32}|[0-9]{15}|[0-9]{17}[0-9X]|[0-9A-HJ-NPQRTUWXY]{18}");

  /**
   * Whether {@code text} has the shape of a subject's identifier — {@code person:…}, {@code org:…},
   * a pseudonym, a 15- or 18-character resident identity number, a unified social credit code — so
   * that intake can refuse a record that would point at a second person.
   */
  public static boolean looksLikeIdentifier(String text) {
    return IDENTIFIER_SHAPE.matcher(text.strip()).matches();
  }

  /**
   * Which check this identifier passed when it was parsed: what a record's match evidence says.
   *
   * @throws IllegalStateException for a pseudonym, which no provider submits
   */
  public MatchCheck matchCheck() {
    if (isPseudonym()) {
      throw new IllegalStateException("a pseudonym is not matched: it is derived");
    }
    if (kind == SubjectKind.ORG) {
      return MatchCheck.USCC;
    }
    return PRC_SHAPE.matcher(id).matches() ? MatchCheck.PRC_RESIDENT_ID : MatchCheck.NATIONAL_ID;
  }

  /**
   * The identifier with its middle hidden ({@code person:370102********1231}): enough for the
   * subject to recognise it in a report, not enough to copy it.
   */
  public String masked() {
    if (isPseudonym() || id.length() <= 8) {
      return toString();
    }
    int head = id.length() >= 15 ? 6 : 2;
    int tail = id.length() >= 15 ? 4 : 2;
    return kind.prefix()
        + ":"
        + id.substring(0, head)
        + "*".repeat(id.length() - head - tail)
        + id.substring(id.length() - tail);
  }

  /** True for a subject known only by its pseudonym. */
  public boolean isPseudonym() {
    return id.startsWith("~");
  }

  private static String problem(SubjectKind kind, String id) {
    if (PSEUDONYM.matcher(id).matches()) {
      return null;
    }
    if (kind == SubjectKind.ORG) {
      return UnifiedSocialCreditCode.problem(id);
    }
    if (!OPAQUE.matcher(id).matches()) {
      return "person id '" + id + "' must be 1 to 64 letters, digits or '-'";
    }
    if (PRC_SHAPE.matcher(id).matches()) {
      return PrcResidentId.problem(id);
    }
    return null;
  }

  @Override
  public int compareTo(SubjectId other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : id.compareTo(other.id);
  }

  @Override
  public String toString() {
    return kind.prefix() + ":" + id;
  }
}
