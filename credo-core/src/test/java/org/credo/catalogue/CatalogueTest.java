package org.credo.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.credo.policy.Policy;
import org.credo.policy.PolicyLoader;
import org.credo.policy.PolicyProblem;
import org.credo.records.RecordType;
import org.junit.jupiter.api.Test;

class CatalogueTest {
  static final Path DEFAULT = Path.of("..", "catalogue", "credo-default.yaml");

  static Catalogue shipped() throws Exception {
    return CatalogueReader.read(DEFAULT.toString(), Files.readString(DEFAULT));
  }

  static Policy policy(String name) throws Exception {
    Path p = Path.of("..", "policies", name + ".yaml");
    return PolicyLoader.load(p.toString(), Files.readString(p), shipped().firewall());
  }

  @Test
  void theShippedCatalogueCoversEveryTypeOfTheExamplePoliciesWithALegalBasis() throws Exception {
    Catalogue c = shipped();
    assertThat(c.label()).isEqualTo("credo-default v1");
    assertThat(c.entries()).hasSizeGreaterThanOrEqualTo(50);
    for (CatalogueEntry e : c.entries().values()) {
      assertThat(e.basis()).as(e.type().value()).isNotBlank();
      assertThat(e.retention().atMost(org.credo.policy.TimeSpan.parse("P10Y"))).isTrue();
    }
    for (String p :
        List.of("rongcheng-style", "bureau-style", "sesame-style", "professional-licensing")) {
      Path file = Path.of("..", "policies", p + ".yaml");
      assertThat(c.problems(policy(p), file.toString(), Files.readString(file))).as(p).isEmpty();
    }
  }

  @Test
  void aRecordOutsideTheCatalogueOrItsSchemaIsRefusedWithTheReason() throws Exception {
    Catalogue c = shipped();
    assertThat(c.refusal(new RecordType("traffic.speeding"), Map.of())).isEmpty();
    assertThat(c.refusal(new RecordType("church.attendance"), Map.of()))
        .get()
        .asString()
        .contains("'church.attendance' is not in the catalogue (credo-default v1)");
    assertThat(c.refusal(new RecordType("bank.arrears"), Map.of("cycles", 3.0))).isEmpty();
    for (String other :
        List.of(
            "person:370102199001011231",
            "370102199001011231",
            "91110000600037341L",
            "~0123456789abcdef0123456789abcdef")) {
      assertThat(
              c.refusal(
                  new RecordType("court.judgment_defaulter"), Map.of("ground", (Object) other)))
          .as(other)
          .get()
          .asString()
          .contains("has the shape of a subject's identifier");
    }
    assertThat(c.refusal(new RecordType("bank.arrears"), Map.of("religion", "x")))
        .get()
        .asString()
        .contains("attribute 'religion' is not in the catalogue's schema of bank.arrears")
        .contains("declared: cycles");
    assertThat(c.refusal(new RecordType("bank.arrears"), Map.of("cycles", 500.0)))
        .get()
        .asString()
        .contains("outside 1..120 months");
    assertThat(c.refusal(new RecordType("bank.arrears"), Map.of("cycles", "three")))
        .get()
        .asString()
        .contains("must be a number");
    assertThat(c.refusal(new RecordType("court.judgment_defaulter"), Map.of("ground", "rude")))
        .get()
        .asString()
        .contains("not one of able_to_perform_but_refuses");
    assertThat(c.refusal(new RecordType("traffic.speeding"), Map.of("speed", 90.0)))
        .get()
        .asString()
        .contains("it declares none");
  }

  @Test
  void aPolicyMayReferenceOnlyCataloguedTypesAndAttributesForNoLongerThanTheirRetention()
      throws Exception {
    Catalogue c = shipped();
    String yaml =
        """
        policy: probe
        version: 1
        title: Probe
        subjects: [person]
        scale: {kind: points, base: 1000, min: 0, max: 2000}
        grades:
          - {grade: A, min: 0}
        rules:
          - {type: traffic.speeding, domain: public_order, points: -5, expires: P9Y}
          - {type: parking.overstay, domain: civic, points: -5, expires: P1Y}
          - type: bank.arrears
            domain: financial
            attributes: {passenger_count: number}
            points: -10
            expires: P1Y
        """;
    Policy p = PolicyLoader.load("probe.yaml", yaml);
    List<String> problems =
        c.problems(p, "probe.yaml", yaml).stream().map(PolicyProblem::toString).toList();
    assertThat(problems)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("probe.yaml:9:")
                    .contains("expires after P9Y, longer than the catalogue's retention of P2Y"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("probe.yaml:10:")
                    .contains("'parking.overstay': the type is not in the catalogue"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .contains(
                        "reads attribute 'passenger_count', which the catalogue does not declare"));
  }

  @Test
  void aCatalogueWithProblemsIsRefusedWholeWithEveryProblemInPlace() {
    String yaml =
        """
        catalogue: broken
        version: 1
        entries:
          - type: traffic.speeding
            domain: public_order
            description: "Speeding"
            basis: "Road Traffic Safety Law"
            direction: negative
            retention: P20Y
            sources: [police]
          - type: traffic.speeding
            domain: public_order
            description: ""
            basis: "x"
            direction: sideways
            retention: P1Y
            sources: []
          - type: Not A Type
            domain: x
            description: d
            basis: b
            direction: positive
            retention: P1Y
            sources: [registry]
            attributes:
              - {name: hours, type: number, min: 10, max: 1}
        """;
    assertThatThrownBy(() -> CatalogueReader.read("broken.yaml", yaml))
        .isInstanceOf(CatalogueException.class)
        .satisfies(
            e -> {
              List<String> p =
                  ((CatalogueException) e)
                      .problems().stream().map(PolicyProblem::toString).toList();
              assertThat(p)
                  .anySatisfy(
                      s -> assertThat(s).startsWith("broken.yaml:4:").contains("needs a severity"))
                  .anySatisfy(
                      s -> assertThat(s).startsWith("broken.yaml:9:").contains("above P10Y"))
                  .anySatisfy(s -> assertThat(s).contains("description is empty"))
                  .anySatisfy(
                      s -> assertThat(s).startsWith("broken.yaml:18:").contains("'Not A Type'"));
            });
  }
}
