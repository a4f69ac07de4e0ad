package org.credo.subject;

/** The check character of an 18-character PRC resident identity number (ISO 7064 MOD 11-2). */
final class PrcResidentId {
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

  private PrcResidentId() {}

  /** The check character for the first 17 digits. */
  static char checkCharacter(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }

  /** Null when {@code id} (18 characters, 17 digits then digit or X) is valid, else the reason. */
  static String problem(String id) {
    char expected = checkCharacter(id);
    char actual = Character.toUpperCase(id.charAt(17));
    if (expected != actual) {
      return "resident id '"
          + id
          + "' has check character "
          + actual
          + " but its digits give "
          + expected;
    }
    return null;
  }
}
