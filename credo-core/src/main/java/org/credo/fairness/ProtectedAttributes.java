package org.credo.fairness;

import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;
import org.credo.subject.SubjectId;
import org.credo.subject.SubjectKind;

/**
 * What Credo derives from a subject's identifier only to <em>measure</em> fairness (SPEC §4.9): for
 * a person with a PRC resident identity number, the birth year (digits 7–10), the sex (the 17th
 * digit: odd male, even female) and the region (digits 1–2, the province; 1–6, the county); for an
 * organisation, the registration region of its unified social credit code (characters 3–8). Kept
 * apart from everything else under its own key ({@code org.credo.store.fairness.FairnessVault}),
 * and never read by a policy, a decision, an export or the streaming job's scoring: the
 * architecture tests hold every other package to that.
 *
 * @param birthYear 0 when not known (an organisation, an identifier of another shape)
 * @param sex {@code female}, {@code male}, or empty when not known
 * @param province the 2-digit province code, or empty
 * @param county the 6-digit division code, or empty
 */
public record ProtectedAttributes(int birthYear, String sex, String province, String county) {
  private static final Pattern PRC = Pattern.compile("[0-9]{17}[0-9X]");
  private static final Pattern AREA = Pattern.compile("[1-9][0-9]{5}");

  /** The dimensions a fairness report groups subjects by. */
  public enum Dimension {
    AGE_BAND("age band"),
    SEX("sex"),
    REGION("region (province)");

    private final String label;

    Dimension(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The group of a subject whose attribute is not known. */
  public static final String UNKNOWN = "unknown";

  public ProtectedAttributes {
    sex = sex == null ? "" : sex;
    province = province == null ? "" : province;
    county = county == null ? "" : county;
  }

  /** Derives what the identifier says; empty for a pseudonym or an identifier that says nothing. */
  public static Optional<ProtectedAttributes> derive(SubjectId subject) {
    if (subject.isPseudonym()) {
      return Optional.empty();
    }
    String id = subject.id();
    if (subject.kind() == SubjectKind.PERSON) {
      if (!PRC.matcher(id).matches()) {
        return Optional.empty();
      }
      int year = Integer.parseInt(id.substring(6, 10));
      String sex = (id.charAt(16) - '0') % 2 == 1 ? "male" : "female";
      return Optional.of(
          new ProtectedAttributes(year, sex, id.substring(0, 2), id.substring(0, 6)));
    }
    if (id.length() == 18 && AREA.matcher(id.substring(2, 8)).matches()) {
      return Optional.of(new ProtectedAttributes(0, "", id.substring(2, 4), id.substring(2, 8)));
    }
    return Optional.empty();
  }

  /** The subject's group along {@code d}, ages as of {@code at}. */
  public String group(Dimension d, LocalDate at) {
    return switch (d) {
      case AGE_BAND -> ageBand(at);
      case SEX -> sex.isEmpty() ? UNKNOWN : sex;
      case REGION -> province.isEmpty() ? UNKNOWN : province;
    };
  }

  /** The age band at {@code at} (by birth year): under 25, 25–34, …, 65 and over. */
  public String ageBand(LocalDate at) {
    if (birthYear == 0) {
      return UNKNOWN;
    }
    int age = at.getYear() - birthYear;
    if (age < 25) {
      return "under 25";
    }
    if (age >= 65) {
      return "65 and over";
    }
    int from = 25 + (age - 25) / 10 * 10;
    return from + "–" + (from + 9);
  }

  /** A compact text form, for sealing: {@code year|sex|province|county}. */
  public String encode() {
    return birthYear + "|" + sex + "|" + province + "|" + county;
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not what {@link #encode} writes
   */
  public static ProtectedAttributes decode(String text) {
    String[] parts = text.split("\\|", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an encoded set of protected attributes");
    }
    return new ProtectedAttributes(Integer.parseInt(parts[0]), parts[1], parts[2], parts[3]);
  }
}
