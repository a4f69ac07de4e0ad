package org.credo.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.credo.Fixtures;
import org.credo.records.RecordType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyLoaderTest {
  static final String MINIMAL =
      """
      policy: test
      version: 1
      subjects: [person]
      scale: {kind: points, base: 100, min: 0, max: 200}
      rules:
        - {type: traffic.red_light, domain: public_order, points: -5, expires: P2Y}
        - {type: court.judgment_defaulter, domain: judicial, points: -50, expires: P5Y}
      grades:
        - {grade: A, min: 100}
        - {grade: B, min: 0}
      """;

  static List<PolicyProblem> problems(String yaml) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("bad.yaml", yaml));
    assertThat(e).as("the policy should not load").isNotNull();
    return e.problems();
  }

  static PolicyProblem only(String yaml) {
    List<PolicyProblem> problems = problems(yaml);
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rongcheng-style", "sesame-style", "bureau-style"})
  void loadsEveryExamplePolicy(String name) {
    Policy policy = Fixtures.example(name);
    assertThat(policy.id()).isEqualTo(name);
    assertThat(policy.rules()).isNotEmpty();
    assertThat(policy.purposes()).isNotEmpty();
    assertThat(policy.rules())
        .allSatisfy(r -> assertThat(r.expires().atMost(TimeSpan.TEN_YEARS)).isTrue());
  }

  @Test
  void loadsTheMinimalPolicyWithDefaults() {
    Policy p = Fixtures.policy(MINIMAL);
    assertThat(p.ref()).isEqualTo(new PolicyRef("test", 1));
    assertThat(p.disputeDeadline().toString()).isEqualTo("P30D");
    assertThat(p.rule(RecordType.of("traffic.red_light")).orElseThrow().severity())
        .isEqualTo(Severity.GENERAL);
    assertThat(p.grades().get(0).grade().name()).isEqualTo("A");
    assertThat(p.scoresUnknownTypesZero()).isFalse();
  }

  @Test
  void reportsMalformedYamlWithItsPosition() {
    PolicyProblem p = only("policy: test\nrules: [\n  - a: b\n");
    assertThat(p.file()).isEqualTo("bad.yaml");
    assertThat(p.toString()).startsWith("bad.yaml:").contains("malformed YAML");
  }

  @Test
  void reportsAnEmptyFile() {
    assertThat(only("").message()).isEqualTo("the policy is empty");
  }

  @Test
  void reportsUnknownKeysAtTheKey() {
    PolicyProblem p =
        only(
            MINIMAL.replace("points: -5, expires: P2Y}", "points: -5, expires: P2Y, colour: red}"));
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.column()).isEqualTo(79);
    assertThat(p.message()).startsWith("unknown key 'colour' in a rule (allowed: ");
  }

  @Test
  void reportsATypeErrorInAnExpressionAtItsColumnInTheFile() {
    String yaml =
        MINIMAL.replace(
            "  - {type: traffic.red_light, domain: public_order, points: -5, expires: P2Y}",
            """
              - type: volunteer.service_hours
                domain: civic
                attributes: {hours: number}
                points: "attributes.hours / 10"
                expires: P3Y\
            """);
    PolicyProblem p = only(yaml);
    assertThat(p.line()).isEqualTo(9);
    assertThat(p.column()).isEqualTo(31);
    assertThat(p.message())
        .startsWith("rule volunteer.service_hours points: found no matching overload for '_/_'");
  }

  @Test
  void reportsAnUndeclaredAttribute() {
    String yaml =
        MINIMAL.replace(
            "points: -5, expires: P2Y}", "points: \"attributes.speed * -1.0\", expires: P2Y}");
    assertThat(only(yaml).message()).contains("undefined field 'speed'");
  }

  @Test
  void reportsAConditionThatIsNotBoolean() {
    String yaml =
        MINIMAL + "purposes:\n  air_travel: {domains: [judicial], deny_if: \"score + 1.0\"}\n";
    PolicyProblem p = only(yaml);
    assertThat(p.message()).contains("must give true or false but gives double");
    assertThat(p.line()).isEqualTo(12);
  }

  @Test
  void reportsEveryProblemNotJustTheFirst() {
    String yaml =
        MINIMAL.replace("expires: P2Y}", "expires: P11Y}").replace("points: -50", "points: lots");
    List<PolicyProblem> problems = problems(yaml);
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0).message()).contains("more than ten years");
    assertThat(problems.get(1).message()).contains("undeclared reference to 'lots'");
  }

  @Test
  void requiresEveryRuleToExpire() {
    String yaml = MINIMAL.replace(", expires: P2Y}", "}");
    assertThat(only(yaml).message()).isEqualTo("a rule is missing required key 'expires'");
  }

  @Test
  void refusesRulesThatCountForMoreThanTenYears() {
    assertThat(only(MINIMAL.replace("P5Y", "P10Y1D")).message())
        .isEqualTo(
            "rule court.judgment_defaulter expires is P10Y1D: nothing may count for more than ten years");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "political_opinion",
        "religion",
        "ethnicity",
        "national_origin",
        "sexual_orientation",
        "gender_identity",
        "health",
        "disability",
        "trade_union",
        "biometric",
        "genetic"
      })
  void refusesEveryProtectedDomain(String domain) {
    PolicyProblem p = only(MINIMAL.replace("domain: public_order", "domain: " + domain));
    assertThat(p.message())
        .startsWith("rule traffic.red_light: domain '" + domain + "' is in a protected category")
        .endsWith("Credo never scores it");
    assertThat(p.line()).isEqualTo(6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "religion.church_attendance", "health.hospital_visit", "politics.petition_filed",
        "union.trade_union_membership", "biometric.face_scan", "social.ethnic_group"
      })
  void refusesProtectedRecordTypesWhateverTheirDeclaredDomain(String type) {
    assertThat(only(MINIMAL.replace("traffic.red_light", type)).message())
        .contains("is in a protected category");
  }

  @Test
  void refusesProtectedAttributes() {
    String yaml =
        MINIMAL.replace(
            "points: -5, expires: P2Y}",
            "points: -5, expires: P2Y, attributes: {religion: string}}");
    assertThat(only(yaml).message())
        .contains(
            "attribute 'religion' is in a protected category (religion or belief: 'religion')");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"social.friend_defaulted", "family.relative_blacklisted", "court.spouse_judgment"})
  void refusesRecordsAboutOtherPeople(String type) {
    assertThat(only(MINIMAL.replace("traffic.red_light", type)).message())
        .contains("guilt by association");
  }

  @Test
  void refusesAttributesThatReadOtherPeoplesScores() {
    String yaml =
        MINIMAL.replace(
            "points: -5, expires: P2Y}",
            "points: \"attributes.friends_score * -1.0\", expires: P2Y, attributes: {friends_score: number}}");
    assertThat(problems(yaml))
        .anySatisfy(p -> assertThat(p.message()).contains("guilt by association"));
  }

  @Test
  void refusesConditionsThatNameVariablesOtherThanTheSubjectsOwn() {
    String yaml =
        MINIMAL
            + "purposes:\n  air_travel: {domains: [judicial], deny_if: \"friends_scores[0] < 600.0\"}\n";
    assertThat(only(yaml).message())
        .contains("undeclared reference to 'friends_scores'")
        .contains("known here: factors, grade, lists, records, score");
  }

  @Test
  void letsEndorsementsOnlyAdd() {
    String yaml =
        MINIMAL.replace(
            "  - {type: traffic.red_light, domain: public_order, points: -5, expires: P2Y}",
            "  - {type: endorsement.received, domain: endorsements, points: -1, expires: P2Y}");
    assertThat(only(yaml).message()).contains("endorsements can only add points");
  }

  @Test
  void refusesAPurposeConditionReadingAListOutsideItsDomains() {
    String yaml =
        MINIMAL.replace(
                "points: -50, expires: P5Y}",
                "points: -50, expires: P5Y, list: {name: defaulters, kind: black}}")
            + "purposes:\n  lending: {domains: [public_order], deny_if: \"'defaulters' in lists\"}\n";
    PolicyProblem p = only(yaml);
    assertThat(p.message())
        .isEqualTo(
            "purpose lending: deny_if reads list 'defaulters' of domains [judicial], but [judicial]"
                + " lie outside the purpose's domains [public_order] (purpose binding)");
    assertThat(p.line()).isEqualTo(12);
  }

  @Test
  void refusesAPurposeConditionReadingRecordsOutsideItsDomains() {
    String yaml =
        MINIMAL
            + "purposes:\n  lending: {domains: [judicial], deny_if: \"records['traffic.red_light'] > 3\"}\n";
    assertThat(only(yaml).message())
        .contains("record type 'traffic.red_light' of domains [public_order]");
  }

  @Test
  void treatsReadingAWholeCollectionAsReadingAllOfIt() {
    String yaml =
        MINIMAL.replace(
                "points: -50, expires: P5Y}",
                "points: -50, expires: P5Y, list: {name: defaulters, kind: black}}")
            + "purposes:\n  lending: {domains: [public_order], deny_if: \"size(lists) > 0\"}\n";
    assertThat(only(yaml).message()).contains("reads all lists, including list 'defaulters'");
  }

  @Test
  void letsAPurposeReadWhatItsDomainsCover() {
    String yaml =
        MINIMAL.replace(
                "points: -50, expires: P5Y}",
                "points: -50, expires: P5Y, list: {name: defaulters, kind: black, notice: P10D}}")
            + "purposes:\n  air_travel: {domains: [judicial], deny_if: \"'defaulters' in lists\", consent: required, discloses: [grade], valid_for: P7D}\n";
    PurposeDefinition p = Fixtures.policy(yaml).purpose(Purpose.of("air_travel")).orElseThrow();
    assertThat(p.consentRequired()).isTrue();
    assertThat(p.discloses()).containsExactly(Disclosure.GRADE);
    assertThat(p.validFor().toString()).isEqualTo("P7D");
  }

  @Test
  void refusesUnknownListsFactorsAndRecordTypesInConditions() {
    String base = MINIMAL + "purposes:\n  air_travel: {domains: [judicial], deny_if: \"%s\"}\n";
    assertThat(only(base.formatted("'nope' in lists")).message())
        .contains("list 'nope' is not declared");
    assertThat(only(base.formatted("records['a.b'] > 0")).message())
        .contains("record type 'a.b' has no rule");
    assertThat(only(base.formatted("factors.x > 0.5")).message())
        .contains("factors can be read only in a factor policy");
  }

  @Test
  void refusesAPublicBlackList() {
    String yaml =
        MINIMAL.replace(
            "rules:",
            "lists:\n  - {name: bad, kind: black, public: true, when: \"score < 10.0\"}\nrules:");
    assertThat(only(yaml).message()).contains("cannot be public");
  }

  @Test
  void letsAConditionListReadOnlyListsDeclaredBeforeIt() {
    String yaml =
        MINIMAL.replace(
            "rules:",
            """
            lists:
              - {name: first, kind: red, when: "'second' in lists"}
              - {name: second, kind: red, when: "score > 150.0"}
            rules:""");
    assertThat(only(yaml).message())
        .contains("list 'second' is not declared before this condition");
  }

  @Test
  void requiresGradesToCoverTheWholeScale() {
    assertThat(only(MINIMAL.replace("{grade: B, min: 0}", "{grade: B, min: 50}")).message())
        .contains("no grade covers scores from 0 to 50");
  }

  @Test
  void requiresFactorWeightsToAddUpToOne() {
    String yaml =
        """
        policy: f
        version: 1
        subjects: [person]
        scale: {kind: factors, min: 300, max: 850}
        rules:
          - {type: loan.paid, domain: financial, expires: P5Y}
        factors:
          - {name: a, weight: 0.5, domains: [financial], signal: {kind: count, types: [loan.paid], target: 3}}
          - {name: b, weight: 0.4, domains: [financial], signal: {kind: count, types: [loan.paid], target: 3}}
        grades: [{grade: ok, min: 300}]
        """;
    assertThat(only(yaml).message()).isEqualTo("factor weights add up to 0.9, not 1");
  }

  @Test
  void refusesAFactorReadingRecordsOutsideItsDomains() {
    String yaml =
        """
        policy: f
        version: 1
        subjects: [person]
        scale: {kind: factors, min: 300, max: 850}
        rules:
          - {type: loan.paid, domain: financial, expires: P5Y}
          - {type: traffic.red_light, domain: public_order, expires: P2Y}
        factors:
          - {name: a, weight: 1, domains: [financial], signal: {kind: count, types: [loan.paid, traffic.red_light], target: 3}}
        grades: [{grade: ok, min: 300}]
        """;
    assertThat(only(yaml).message())
        .isEqualTo(
            "factor a: reads traffic.red_light of domain public_order, outside its domains [financial]");
  }

  @Test
  void refusesPointsInAFactorPolicyAndMissingPointsInAPointsPolicy() {
    assertThat(only(MINIMAL.replace("points: -5, ", "")).message())
        .contains("points is required on a points scale");
  }

  @Test
  void refusesCapsThatMixMonthsAndDays() {
    String yaml = MINIMAL.replace("expires: P2Y}", "expires: P2Y, cap: {points: 10, per: P1M2D}}");
    assertThat(only(yaml).message()).contains("mixes months and days");
  }

  @Test
  void refusesProtectedPhrasesSplitAcrossTypeSegments() {
    assertThat(only(MINIMAL.replace("traffic.red_light", "trade.union_dues")).message())
        .contains("trade-union membership");
  }

  @Test
  void refusesListAndPurposeNamesAboutOtherPeople() {
    String list =
        MINIMAL.replace(
            "points: -50, expires: P5Y}",
            "points: -50, expires: P5Y, list: {name: family-watch, kind: black}}");
    assertThat(only(list).message()).contains("list 'family-watch' is about other people");
    String purpose =
        MINIMAL + "purposes:\n  friends_check: {domains: [judicial], allow_if: \"true\"}\n";
    assertThat(only(purpose).message()).contains("purpose 'friends_check' is about other people");
  }

  @Test
  void acceptsTypesThatMerelyMentionSubjects() {
    Fixtures.policy(MINIMAL.replace("traffic.red_light", "data.subject_access"));
  }

  @Test
  void refusesAQuotedNegativeNumberForAnEndorsement() {
    String yaml =
        MINIMAL.replace(
            "  - {type: traffic.red_light, domain: public_order, points: -5, expires: P2Y}",
            "  - {type: endorsement.received, domain: endorsements, points: \"-5\", expires: P2Y}");
    assertThat(only(yaml).message()).contains("endorsements can only add points");
  }

  @Test
  void refusesDurationsInLowerCase() {
    assertThat(only(MINIMAL.replace("P2Y", "p2y")).message())
        .contains("must be written in capitals");
  }

  @Test
  void refusesANoticePeriodOnAConditionList() {
    String yaml =
        MINIMAL.replace(
            "rules:",
            "lists:\n  - {name: top, kind: red, notice: P10D, when: \"score > 150.0\"}\nrules:");
    assertThat(only(yaml).message())
        .contains("follows the score at each instant, so it has no notice");
  }

  @Test
  void reportsExpressionErrorsInsideABlockAtTheirLineAndColumn() {
    String yaml =
        MINIMAL
            + """
            purposes:
              air_travel:
                domains: [judicial]
                deny_if: |
                  score < 10.0 ||
                    grade == 3
            """;
    PolicyProblem p = only(yaml);
    assertThat(p.line()).isEqualTo(16);
    assertThat(p.column()).isEqualTo(15);
  }

  @Test
  void supportsCelMacrosAndTreatsAComprehensionAsReadingTheWholeCollection() {
    String yaml =
        MINIMAL.replace(
                "points: -50, expires: P5Y}",
                "points: -50, expires: P5Y, list: {name: defaulters, kind: black}}")
            + "purposes:\n  air_travel: {domains: [judicial], deny_if: \"lists.exists(l, l == 'defaulters')\"}\n";
    Fixtures.policy(yaml);
    assertThat(
            only(yaml.replace("domains: [judicial], deny_if", "domains: [public_order], deny_if"))
                .message())
        .contains("reads all lists");
  }

  @Test
  void refusesSignalKeysThatDoNotApplyAndCapsOrFactorDisclosureWhereMeaningless() {
    String factors =
        """
        policy: f
        version: 1
        subjects: [person]
        scale: {kind: factors, min: 300, max: 850}
        rules:
          - {type: loan.paid, domain: financial, expires: P5Y}
        factors:
          - {name: a, weight: 1, domains: [financial], signal: {kind: count, types: [loan.paid], target: 3, prior: 0.5}}
        grades: [{grade: ok, min: 300}]
        """;
    assertThat(only(factors).message()).contains("a count signal has no 'prior'");
    String capped =
        factors
            .replace(", prior: 0.5", "")
            .replace("expires: P5Y}", "expires: P5Y, cap: {count: 1, per: P1Y}}");
    assertThat(only(capped).message()).contains("a factor policy has none to cap");
    String points =
        MINIMAL
            + "purposes:\n  air_travel: {domains: [judicial], allow_if: \"true\", discloses: [factors]}\n";
    assertThat(only(points).message()).contains("a points policy has no factors to disclose");
  }

  @Test
  void prefixesValueErrorsWithTheRuleOrPurposeTheyBelongTo() {
    assertThat(only(MINIMAL.replace("expires: P2Y}", "expires: P2Y, severity: huge}")).message())
        .isEqualTo("rule traffic.red_light: severity 'huge' is not minor, general or serious");
  }
}
