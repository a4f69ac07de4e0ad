package org.credo.subject;

/**
 * The 18-character unified social credit code of an organisation (GB 32100-2015): digits and
 * capitals without I, O, Z, S, V; weights 3^i mod 31 for positions 1 to 17; check = (31 − Σ
 * value×weight mod 31) mod 31.
 */
public final class UnifiedSocialCreditCode {
  static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] WEIGHTS = new int[17];

  static {
    int w = 1;
    for (int i = 0; i < 17; i++) {
      WEIGHTS[i] = w;
      w = (w * 3) % 31;
    }
  }

  private UnifiedSocialCreditCode() {}

  /** The check character for the first 17 characters, which must be in the alphabet. */
  public static char checkCharacter(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
    }
    return ALPHABET.charAt((31 - sum % 31) % 31);
  }

  /** Null when {@code code} is a valid code, else a one-line reason. */
  static String problem(String code) {
    if (code.length() != 18) {
      return "organisation code '" + code + "' must have 18 characters, has " + code.length();
    }
    for (int i = 0; i < 18; i++) {
      if (ALPHABET.indexOf(code.charAt(i)) < 0) {
        return "organisation code '"
            + code
            + "' has '"
            + code.charAt(i)
            + "' at position "
            + (i + 1)
            + ": only digits and capitals without I, O, Z, S, V are allowed";
      }
    }
    char expected = checkCharacter(code);
    if (expected != code.charAt(17)) {
      return "organisation code '"
          + code
          + "' has check character "
          + code.charAt(17)
          + " but its characters give "
          + expected;
    }
    return null;
  }
}
