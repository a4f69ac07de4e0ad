package org.credo.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubjectIdTest {
  @Test
  void acceptsAResidentIdWhoseCheckCharacterMatches() {
    SubjectId id = SubjectId.parse("person:370102199001011231");
    assertThat(id.kind()).isEqualTo(SubjectKind.PERSON);
    assertThat(id.id()).isEqualTo("370102199001011231");
    assertThat(id).hasToString("person:370102199001011231");
  }

  @Test
  void acceptsACheckCharacterXInEitherCaseAndKeepsItUpperCase() {
    assertThat(SubjectId.parse("person:44030619920228111x").id()).isEqualTo("44030619920228111X");
    assertThat(SubjectId.parse("person:44030619920228111X").id()).isEqualTo("44030619920228111X");
  }

  @Test
  void refusesAResidentIdWithAWrongCheckCharacter() {
    assertThatThrownBy(() -> SubjectId.parse("person:370102199001011232"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("check character 2")
        .hasMessageContaining("give 1");
  }

  @Test
  void treatsOtherNationalIdsAsOpaque() {
    assertThat(SubjectId.parse("person:DE-T22000129").id()).isEqualTo("DE-T22000129");
    assertThat(SubjectId.parse("person:12345").id()).isEqualTo("12345");
  }

  @Test
  void refusesOpaqueIdsWithOtherCharactersOrTooLong() {
    assertThatThrownBy(() -> SubjectId.parse("person:a b"))
        .hasMessageContaining("letters, digits or '-'");
    assertThatThrownBy(() -> SubjectId.parse("person:" + "a".repeat(65)))
        .hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> SubjectId.parse("person:")).hasMessageContaining("1 to 64");
  }

  @Test
  void acceptsTheUnifiedSocialCreditCodeFromTheStandard() {
    SubjectId id = SubjectId.parse("org:91110000600037341L");
    assertThat(id.kind()).isEqualTo(SubjectKind.ORG);
    assertThat(UnifiedSocialCreditCode.checkCharacter("91110000600037341")).isEqualTo('L');
  }

  @Test
  void refusesAnOrganisationCodeWithAWrongCheckCharacter() {
    assertThatThrownBy(() -> SubjectId.parse("org:91110000600037341M"))
        .hasMessageContaining("check character M")
        .hasMessageContaining("give L");
  }

  @Test
  void refusesLettersTheStandardLeavesOut() {
    for (char c : "IOZSV".toCharArray()) {
      assertThatThrownBy(() -> SubjectId.parse("org:911100006000373" + c + "1L"))
          .hasMessageContaining("without I, O, Z, S, V");
    }
  }

  @Test
  void refusesOrganisationCodesOfTheWrongLength() {
    assertThatThrownBy(() -> SubjectId.parse("org:9111000060003734"))
        .hasMessageContaining("18 characters");
  }

  @Test
  void refusesUnknownKindsAndMissingPrefixes() {
    assertThatThrownBy(() -> SubjectId.parse("citizen:1")).hasMessageContaining("person or org");
    assertThatThrownBy(() -> SubjectId.parse("370102199001011231"))
        .hasMessageContaining("person:<id>");
  }

  @Test
  void everyGeneratedResidentIdValidatesAndEveryAlteredOneDoesNot() {
    java.util.Random random = new java.util.Random(7);
    for (int n = 0; n < 1000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 17; i++) {
        b.append((char) ('0' + random.nextInt(10)));
      }
      String body = b.toString();
      char check = PrcResidentId.checkCharacter(body);
      assertThat(SubjectId.parse("person:" + body + check).id()).isEqualTo(body + check);
      char wrong = check == '1' ? '2' : '1';
      assertThatThrownBy(() -> SubjectId.parse("person:" + body + wrong))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void everyGeneratedOrganisationCodeValidatesAndEveryAlteredOneDoesNot() {
    java.util.Random random = new java.util.Random(11);
    String alphabet = UnifiedSocialCreditCode.ALPHABET;
    for (int n = 0; n < 1000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 17; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      char check = UnifiedSocialCreditCode.checkCharacter(b.toString());
      String code = b.toString() + check;
      assertThat(SubjectId.parse("org:" + code).id()).isEqualTo(code);
      char wrong = alphabet.charAt((alphabet.indexOf(check) + 1) % alphabet.length());
      assertThatThrownBy(() -> SubjectId.parse("org:" + b + wrong))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void saysWhichCheckItsIdentifierPassedAndMasksIt() {
    SubjectId resident = SubjectId.parse("person:370102199001011231");
    org.assertj.core.api.Assertions.assertThat(resident.matchCheck())
        .isEqualTo(MatchCheck.PRC_RESIDENT_ID);
    org.assertj.core.api.Assertions.assertThat(resident.masked())
        .isEqualTo("person:370102********1231");
    org.assertj.core.api.Assertions.assertThat(
            SubjectId.parse("org:91110000600037341L").matchCheck())
        .isEqualTo(MatchCheck.USCC);
    SubjectId other = SubjectId.parse("person:P-77");
    org.assertj.core.api.Assertions.assertThat(other.matchCheck())
        .isEqualTo(MatchCheck.NATIONAL_ID);
    org.assertj.core.api.Assertions.assertThat(other.masked()).isEqualTo("person:P-77");
    org.assertj.core.api.Assertions.assertThat(MatchCheck.of("uscc")).contains(MatchCheck.USCC);
    org.assertj.core.api.Assertions.assertThat(MatchCheck.of("name")).isEmpty();
  }
}
