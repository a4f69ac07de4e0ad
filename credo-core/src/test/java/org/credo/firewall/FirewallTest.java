package org.credo.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.credo.Fixtures;
import org.credo.catalogue.Catalogue;
import org.credo.catalogue.CatalogueException;
import org.credo.catalogue.CatalogueReader;
import org.credo.policy.PolicyException;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyProblem;
import org.junit.jupiter.api.Test;

/**
 * The firewall cannot be talked around by renaming (SPEC §4.1): protected categories, their proxies
 * and other people are refused under any spelling the lexicon knows, in every place a policy or a
 * catalogue names something; lawful names close to a protected word pass only through a reviewed
 * exemption of the catalogue.
 */
class FirewallTest {
  static final Catalogue SHIPPED = Fixtures.shippedCatalogue();

  /** Names that must be refused, with the category each falls in. */
  static final Map<String, String> REFUSED =
      Map.ofEntries(
          // the issue's own list: each loaded under the old word list
          Map.entry("church.attendance", "religion"),
          Map.entry("mosque.visit", "religion"),
          Map.entry("hiv.test_positive", "health"),
          Map.entry("pregnancy.reported", "health"),
          Map.entry("union.dues_paid", "trade-union"),
          Map.entry("uyghur.travel_abroad", "ethnicity"),
          Map.entry("falungong.practice", "religion"),
          Map.entry("positive_energy.post_shared", "politics"),
          Map.entry("household.member_default", "other-people"),
          Map.entry("employer.blacklisted", "other-people"),
          // religion, its places, practices, texts and movements; pinyin
          Map.entry("falun_gong.material_found", "religion"),
          Map.entry("temple.donation", "religion"),
          Map.entry("ramadan.fasting_observed", "religion"),
          Map.entry("halal.purchases", "religion"),
          Map.entry("quran.study", "religion"),
          Map.entry("bible.distributed", "religion"),
          Map.entry("buddhist_retreat.attended", "religion"),
          Map.entry("jiaohui.canjia", "religion"),
          Map.entry("qingzhensi.visit", "religion"),
          Map.entry("xiejiao.member", "religion"),
          Map.entry("houseChurch.gathering".toLowerCase(), "religion"),
          Map.entry("christianity_practiced", "religion"),
          // ethnicity, minority names, origin
          Map.entry("uighur.passport_held", "ethnicity"),
          Map.entry("tibetan.travel_permit", "ethnicity"),
          Map.entry("weiwuer.travel", "ethnicity"),
          Map.entry("ethnicity.recorded", "ethnicity"),
          Map.entry("minority_status", "ethnicity"),
          Map.entry("xinjiang.trip", "ethnicity"),
          Map.entry("hukou.rural", "ethnicity"),
          // political activity, petitioning, protest, loyalty, speech
          Map.entry("petition.filed", "politics"),
          Map.entry("shangfang.beijing", "politics"),
          Map.entry("xinfang.complaint", "politics"),
          Map.entry("protest.attended", "politics"),
          Map.entry("party_dues.paid", "politics"),
          Map.entry("dangyuan.status", "politics"),
          Map.entry("zhengnengliang.post", "politics"),
          Map.entry("positiveenergy.shares", "politics"),
          Map.entry("loyalty_pledge.signed", "politics"),
          Map.entry("vpn.usage", "politics"),
          Map.entry("rumour.spread_online", "politics"),
          Map.entry("xuexiqiangguo.points", "politics"),
          Map.entry("dissident_contact", "politics"),
          // health, conditions, treatments, pregnancy and fertility, disability
          Map.entry("medical_history", "health"),
          Map.entry("hivaids.status", "health"),
          Map.entry("pregnant.employee", "health"),
          Map.entry("ivf.treatment", "health"),
          Map.entry("abortion.record", "health"),
          Map.entry("disability.certificate", "health"),
          Map.entry("mental_health.visit", "health"),
          Map.entry("depression.diagnosed", "health"),
          Map.entry("huaiyun.dengji", "health"),
          Map.entry("canji.zheng", "health"),
          Map.entry("jiankangma.red", "health"),
          Map.entry("hospitalisation.days", "health"),
          // sexuality and gender identity
          Map.entry("lgbt.event", "sexuality"),
          Map.entry("homosexuality.reported", "sexuality"),
          Map.entry("transgender.status", "sexuality"),
          Map.entry("tongxinglian.app", "sexuality"),
          Map.entry("gender_marker_changed", "sexuality"),
          // trade unions and strikes
          Map.entry("strike.participation", "trade-union"),
          Map.entry("trade_union.member", "trade-union"),
          Map.entry("gonghui.dues", "trade-union"),
          Map.entry("picketing.arrest", "trade-union"),
          // biometric and genetic data
          Map.entry("dna.sample", "biometric"),
          Map.entry("face_scan.match", "biometric"),
          Map.entry("fingerprint.enrolled", "biometric"),
          Map.entry("genome.sequenced", "biometric"),
          // other people
          Map.entry("friends.defaults", "other-people"),
          Map.entry("family_member.default", "other-people"),
          Map.entry("relatives.blacklisted", "other-people"),
          Map.entry("spouse.debt", "other-people"),
          Map.entry("colleague.rating", "other-people"),
          Map.entry("contacts.low_score", "other-people"),
          Map.entry("classmate.record", "other-people"),
          Map.entry("neighbour.complaint", "other-people"),
          Map.entry("qinshu.shixin", "other-people"),
          Map.entry("pengyou.score", "other-people"),
          Map.entry("parents.default", "other-people"),
          Map.entry("group_loan.member_default", "other-people"),
          Map.entry("social_graph.centrality", "other-people"),
          Map.entry("marital_status", "other-people"),
          Map.entry("credit_union_extra", "trade-union"),
          Map.entry("medical_licensing_appeal", "health"));

  /** Lawful names that must load, some close to a protected word. */
  static final List<String> ALLOWED =
      List.of(
          "court.judgment_defaulter",
          "traffic.drunk_driving",
          "traffic.red_light",
          "account.late_30",
          "account.paid_as_agreed",
          "contract.breached",
          "contract.fulfilled",
          "rental.returned_on_time",
          "utility.bill_paid_on_time",
          "tax.arrears",
          "parking.overstay",
          "commerce.counterfeit_goods",
          "finance.illegal_fundraising",
          "civic.national_award",
          "civic.heroic_act",
          "volunteer.service_hours",
          "identity.education_verified",
          "hospitality.licence_revoked",
          "racetrack.betting_debt",
          "trace.confirmed",
          "tradeline.opened",
          "counterparty.default",
          "third_party.collection",
          "partial_payment",
          "sectional_title.arrears",
          "cultivated_land.violation",
          "essex_branch",
          "faceted_search",
          "strikethrough",
          "unionpay_card",
          "contractor.licence",
          "parity_check",
          "teacher.certificate_revoked",
          "accountant.audit_sanction",
          "national_award",
          "public_order",
          "financial",
          "loan_underwriting",
          "air_travel",
          "rental_deposit",
          "judicial",
          "commercial_conduct");

  /** Lawful names that pass only by the shipped catalogue's exemptions. */
  static final List<String> EXEMPTED =
      List.of(
          "medical_licensing",
          "credit_union",
          "physician_licensing",
          "physician.licence_suspended",
          "volunteer.blood_donation");

  @Test
  void holdsAtLeastSixtyRefusalsAndFortyLawfulNames() {
    assertThat(REFUSED).hasSizeGreaterThanOrEqualTo(60);
    assertThat(ALLOWED.size() + EXEMPTED.size()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void everyRefusedNameIsRefusedInAPolicyWithItsCategoryTermAndPosition() {
    for (Map.Entry<String, String> e : REFUSED.entrySet()) {
      String name = e.getKey();
      String label = SHIPPED.firewall().lexicon().categories().get(e.getValue()).label();
      String yaml = probe(name);
      PolicyException refused =
          catchThrowableOfType(
              PolicyException.class,
              () -> PolicyLoader.load("probe.yaml", yaml, SHIPPED.firewall()));
      assertThat(refused).as(name).isNotNull();
      PolicyProblem p = refused.problems().get(0);
      assertThat(p.file()).isEqualTo("probe.yaml");
      assertThat(p.line()).as(name).isEqualTo(name.contains(".") ? 9 : 12);
      assertThat(p.column()).as(name).isGreaterThan(1);
      if (e.getValue().equals(LexiconMatch.OTHER_PEOPLE)) {
        assertThat(p.message()).as(name).contains("is about other people ('");
      } else {
        assertThat(p.message()).as(name).contains("is in a protected category (" + label + ": '");
      }
    }
  }

  @Test
  void everyLawfulNameLoadsAndExemptedOnesOnlyUnderTheCatalogue() {
    for (String name : ALLOWED) {
      assertThatCode(() -> PolicyLoader.load("probe.yaml", probe(name), Firewall.strict()))
          .as(name)
          .doesNotThrowAnyException();
    }
    for (String name : EXEMPTED) {
      assertThatCode(() -> PolicyLoader.load("probe.yaml", probe(name), SHIPPED.firewall()))
          .as(name)
          .doesNotThrowAnyException();
      assertThat(
              catchThrowableOfType(
                  PolicyException.class,
                  () -> PolicyLoader.load("probe.yaml", probe(name), Firewall.strict())))
          .as(name + " without the exemption")
          .isNotNull();
    }
  }

  @Test
  void listsFactorsAndPurposesPassTheSameFirewall() {
    String yaml =
        """
        policy: probe
        version: 1
        title: Probe
        subjects: [person]
        scale: {kind: points, base: 1000, min: 0, max: 2000}
        grades:
          - {grade: A, min: 0}
        lists:
          - {name: petitioners-watch, kind: black, notice: P10D, max: P1Y, basis: "x"}
        rules:
          - {type: traffic.speeding, domain: public_order, points: -5, expires: P1Y}
        purposes:
          loyalty_check:
            domains: [public_order]
        """;
    List<String> problems =
        catchThrowableOfType(
                PolicyException.class,
                () -> PolicyLoader.load("probe.yaml", yaml, SHIPPED.firewall()))
            .problems()
            .stream()
            .map(PolicyProblem::toString)
            .toList();
    assertThat(problems)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("probe.yaml:9:")
                    .contains("list 'petitioners-watch'")
                    .contains("political opinion or activity: 'petitioner'"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("probe.yaml:14:")
                    .contains("purpose 'loyalty_check'")
                    .contains("'loyalty'"));
  }

  @Test
  void aCatalogueEntryItsAttributesValuesAndDescriptionAreChecked() {
    String yaml =
        """
        catalogue: probe
        version: 1
        entries:
          - type: conduct.reported
            domain: civic
            description: "Reported by the subject's 单位 after a 上访 to Beijing."
            basis: "contract"
            direction: negative
            severity: minor
            retention: P1Y
            sources: [employer_registry]
            attributes:
              - {name: kind, type: string, values: [late, protest_march]}
              - {name: religion_code, type: number, min: 0, max: 9}
          - type: bank.note
            domain: financial
            description: "A note a bank keeps about the account holder's church."
            basis: "contract"
            direction: neutral
            retention: P1Y
            sources: [bank]
            attributes:
              - {name: counterparty, type: string, values: [a, b]}
              - {name: memo, type: string}
              - {name: ref_number, type: number, min: 0, max: 999999999999999999}
        """;
    CatalogueException e =
        catchThrowableOfType(CatalogueException.class, () -> CatalogueReader.read("c.yaml", yaml));
    String all = e.getMessage();
    assertThat(all)
        .contains("c.yaml:4:")
        .contains(
            "the description is in a protected category (political opinion or activity: '上访')")
        .contains("value 'protest_march' of 'kind' is in a protected category")
        .contains("attribute 'religion_code' is in a protected category (religion or belief")
        .contains("the description is in a protected category (religion or belief: 'church')")
        .contains("attribute 'counterparty' names an identifier")
        .contains("attribute 'memo': a string attribute lists its values")
        .contains("attribute 'ref_number': a number attribute declares min and max within");
  }

  @Test
  void anExemptionCoversExactlyItsNameAndOnlyTermsFoundThere() {
    String base =
        """
        catalogue: probe
        version: 1
        exemptions:
          - name: %s
            allows: [%s]
            reason: "%s"
        entries:
          - type: volunteer.blood_donation
            domain: civic
            description: "A voluntary blood donation."
            basis: "Blood Donation Law of the PRC, art. 6"
            direction: positive
            retention: P1Y
            sources: [blood_bank]
        """;
    assertThatCode(
            () ->
                CatalogueReader.read(
                    "c.yaml",
                    base.formatted(
                        "volunteer.blood_donation",
                        "blood",
                        "The civic act of donating, never a test result.")))
        .doesNotThrowAnyException();
    assertThat(
            catchThrowableOfType(
                    CatalogueException.class,
                    () ->
                        CatalogueReader.read(
                            "c.yaml",
                            base.formatted(
                                "volunteer.blood_donation",
                                "blood, church",
                                "The civic act of donating, never a test result.")))
                .getMessage())
        .contains("allows 'church', which the lexicon does not find there");
    assertThat(
            catchThrowableOfType(
                    CatalogueException.class,
                    () ->
                        CatalogueReader.read(
                            "c.yaml", base.formatted("volunteer.blood_donation", "blood", "ok")))
                .getMessage())
        .contains("the reason says why the name is lawful");
    // an exemption of another name does not reach this entry
    assertThat(
            catchThrowableOfType(
                    CatalogueException.class,
                    () ->
                        CatalogueReader.read(
                            "c.yaml",
                            base.formatted(
                                "blood_bank_donation",
                                "blood",
                                "The civic act of donating, never a test result.")))
                .getMessage())
        .contains("entry 'volunteer.blood_donation': the type is in a protected category");
  }

  @Test
  void aPolicyCheckedAgainstACatalogueWithoutTheExemptionIsRefused() throws Exception {
    var policy = Fixtures.example("professional-licensing");
    Catalogue bare =
        new Catalogue(SHIPPED.name(), SHIPPED.version() + 1, SHIPPED.entries(), List.of());
    assertThat(bare.problems(policy, "p.yaml", ""))
        .extracting(PolicyProblem::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .isEqualTo(
                        "purpose 'physician_licensing' is in a protected category (health,"
                            + " disability, pregnancy or fertility: 'physician') and credo-default"
                            + " v2 grants no exemption for it"));
    assertThat(SHIPPED.problems(policy, "p.yaml", "")).isEmpty();
  }

  @Test
  void theShippedLexiconIsSourcedAndLarge() {
    Lexicon l = Lexicon.shipped();
    assertThat(l.size()).isGreaterThan(500);
    assertThat(l.categories().keySet())
        .containsExactly(
            "religion",
            "ethnicity",
            "politics",
            "health",
            "sexuality",
            "trade-union",
            "biometric",
            "other-people");
    l.categories().values().forEach(c -> assertThat(c.sources()).isNotEmpty());
  }

  /**
   * A policy naming {@code name}: as a record type (line 9) or as a domain (line 11, refused at its
   * body on line 12).
   */
  static String probe(String name) {
    if (name.contains(".")) {
      return """
          policy: probe
          version: 1
          title: Probe
          subjects: [person]
          scale: {kind: points, base: 1000, min: 0, max: 2000}
          grades:
            - {grade: A, min: 0}
          rules:
            - {type: %s, domain: civic, points: -5, expires: P1Y}
          purposes:
            check:
              domains: [civic]
              refer_if: "score < 0"
          """
          .formatted(name);
    }
    return """
        policy: probe
        version: 1
        title: Probe
        subjects: [person]
        scale: {kind: points, base: 1000, min: 0, max: 2000}
        grades:
          - {grade: A, min: 0}
        rules:
          - {type: traffic.speeding, domain: public_order, points: -5, expires: P1Y}
        purposes:
          %s:
            domains: [public_order]
            refer_if: "score < 0"
        """
        .formatted(name);
  }
}
