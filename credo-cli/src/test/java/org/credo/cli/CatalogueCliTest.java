package org.credo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.credo.cli.CredoCliTest.credo;
import static org.credo.cli.CredoCliTest.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.credo.cli.CredoCliTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credo catalogue}: a new store starts with the shipped catalogue; a policy or a record
 * outside it is refused; a new version is checked against the active policies, activated with a
 * reason that goes to the audit log, and diffed.
 */
class CatalogueCliTest {
  static final Path SHIPPED = Path.of("..", "catalogue", "credo-default.yaml");

  @BeforeAll
  static void fixTheClock() {
    Credo.clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
  }

  @Test
  void aNewStoreHasTheShippedCatalogueAndAnyoneCanReadATypesLegalBasis(@TempDir Path dir) {
    String data = dir.resolve("data").toString();
    Run all = credo("catalogue", "show", "--data", data);
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.out())
        .contains("credo-default v1, activated")
        .contains("by credo:install")
        .contains("court.judgment_defaulter");
    Run one = credo("catalogue", "show", "court.judgment_defaulter", "--data", data);
    assertThat(one.out())
        .contains("legal basis  Supreme People's Court")
        .contains("kept by law")
        .contains("attribute    ground: string one of able_to_perform_but_refuses");
    Run missing = credo("catalogue", "show", "church.attendance", "--data", data);
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("church.attendance is not in the catalogue");
  }

  @Test
  void aPolicyOrARecordOutsideTheCatalogueIsRefusedWithItsPlace(@TempDir Path dir)
      throws Exception {
    String data = dir.resolve("data").toString();
    Path p = dir.resolve("parking.yaml");
    Files.writeString(
        p,
        Files.readString(Path.of(policy("rongcheng-style")))
            .replace("type: traffic.speeding", "type: parking.overstay"));
    Run run = credo("policy", "activate", p.toString(), "--data", data);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .containsPattern(
            "parking\\.yaml:\\d+:\\d+: rule for 'parking\\.overstay': the type is not in the"
                + " catalogue \\(credo-default v1\\)");
    // credo policy check says so before any store is involved.
    Run check = credo("policy", "check", p.toString());
    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err())
        .contains("rule for 'parking.overstay': the type is not in the catalogue");
    // A protected name never reaches the catalogue: the firewall refuses it at load.
    Path church = dir.resolve("church.yaml");
    Files.writeString(
        church,
        Files.readString(Path.of(policy("rongcheng-style")))
            .replace("type: traffic.speeding", "type: church.attendance"));
    Run refused = credo("policy", "check", church.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .containsPattern(
            "church\\.yaml:\\d+:\\d+: rule church\\.attendance: record type 'church\\.attendance'"
                + " is in a protected category \\(religion or belief: 'church'\\)");
    assertThat(credo("policy", "check", policy("rongcheng-style")).exit()).isZero();
    assertThat(credo("source", "add", "church-registry", "--types", "church", "--data", data).err())
        .contains("'church' names no record type in the catalogue");
  }

  @Test
  void aSourceOfAKindMaySubmitOnlyTheTypesTheCatalogueLetsThatKindSubmit(@TempDir Path dir)
      throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(credo("policy", "activate", policy("rongcheng-style"), "--data", data).exit())
        .isZero();
    // A bank cannot be registered for court records; a court can.
    Run bank =
        credo("source", "add", "city-bank", "--types", "court", "--kind", "bank", "--data", data);
    assertThat(bank.exit()).isEqualTo(2);
    assertThat(bank.err()).contains("a bank may submit no type under 'court'");
    assertThat(
            credo(
                    "source",
                    "add",
                    "city-court",
                    "--types",
                    "court",
                    "--kind",
                    "court",
                    "--data",
                    data)
                .exit())
        .isZero();
    // A utility registered for utility records may submit a theft, not a court judgment made
    // to look like one of its own types.
    assertThat(
            credo(
                    "source",
                    "add",
                    "city-water",
                    "--types",
                    "utility,court.utility_arrears",
                    "--kind",
                    "utility",
                    "--data",
                    data)
                .exit())
        .isEqualTo(2);
    assertThat(
            credo(
                    "source",
                    "add",
                    "city-water",
                    "--types",
                    "utility",
                    "--kind",
                    "utility",
                    "--data",
                    data)
                .exit())
        .isZero();
    assertThat(credo("source", "list", "--data", data).out())
        .containsPattern("city-court\\s+court\\s+court")
        .containsPattern("city-water\\s+utility\\s+utility");
    Path file = dir.resolve("records.ndjson");
    Files.writeString(
        file,
        "{\"source\":\"city-water\",\"id\":\"w1\",\"subject\":\"person:P-1\","
            + "\"type\":\"utility.theft\",\"occurred\":\"2026-05-01\"}\n");
    Run imported = credo("import", file.toString(), "--data", data);
    assertThat(imported.exit()).as(imported.err()).isZero();
    // The police may report a utility theft, not a late utility fee: refused line by line.
    assertThat(
            credo(
                    "source",
                    "add",
                    "city-police",
                    "--types",
                    "utility",
                    "--kind",
                    "police",
                    "--data",
                    data)
                .exit())
        .isZero();
    Files.writeString(
        file,
        "{\"source\":\"city-police\",\"id\":\"p1\",\"subject\":\"person:P-1\","
            + "\"type\":\"utility.theft\",\"occurred\":\"2026-05-01\"}\n"
            + "{\"source\":\"city-police\",\"id\":\"p2\",\"subject\":\"person:P-1\","
            + "\"type\":\"utility.fee_delayed\",\"occurred\":\"2026-05-01\"}\n");
    Path rejects = dir.resolve("rejects.txt");
    Run police = credo("import", file.toString(), "--data", data, "--rejects", rejects.toString());
    assertThat(police.exit()).isEqualTo(1);
    assertThat(police.out()).contains("2 lines: 1 accepted");
    assertThat(Files.readString(rejects))
        .contains(
            ":2: source 'city-police' is a police; the catalogue lets only utility submit"
                + " utility.fee_delayed");
  }

  @Test
  void aNewVersionIsCheckedAgainstTheActivePoliciesActivatedWithAReasonAndDiffed(@TempDir Path dir)
      throws Exception {
    String data = dir.resolve("data").toString();
    assertThat(credo("policy", "activate", policy("rongcheng-style"), "--data", data).exit())
        .isZero();
    String shipped = Files.readString(SHIPPED);
    // Dropping a type an active policy scores is refused: exit 1, nothing activated.
    Path narrower = dir.resolve("narrower.yaml");
    Files.writeString(
        narrower,
        shipped
            .replace("version: 1", "version: 2")
            .replaceAll(
                "(?s)  - type: traffic\\.speeding\\n.*?(?=  - type: traffic\\.red_light)", ""));
    Run check = credo("catalogue", "check", narrower.toString(), "--data", data);
    assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(1);
    assertThat(check.err())
        .contains("rule for 'traffic.speeding': the type is not in the catalogue");
    // Adding a type is fine; the diff says what changed; the activation is audited with its reason.
    Path wider = dir.resolve("wider.yaml");
    Files.writeString(
        wider,
        shipped.replace("version: 1", "version: 2")
            + """
              - type: rental.deposit_forfeited
                domain: commercial
                description: "A rental deposit was kept for damage."
                basis: "Rental agreement (contract), clause 7"
                direction: negative
                severity: minor
                retention: P2Y
                sources: [platform]
            """);
    Run diff = credo("catalogue", "diff", "active", wider.toString(), "--data", data);
    assertThat(diff.out())
        .contains(
            "+ rental.deposit_forfeited (negative, P2Y, basis: Rental agreement (contract), clause 7)")
        .contains("credo-default v1 -> credo-default v2: 1 change(s)");
    assertThat(credo("catalogue", "activate", wider.toString(), "--data", data).exit())
        .isEqualTo(2); // --reason is required
    Run activate =
        credo(
            "catalogue",
            "activate",
            wider.toString(),
            "--reason",
            "rental deposits, approved by the board on 2026-11-20",
            "--data",
            data);
    assertThat(activate.exit()).as(activate.err()).isZero();
    assertThat(activate.out()).contains("activated: credo-default v2, 57 record types");
    assertThat(credo("catalogue", "history", "--data", data).out())
        .contains("credo-default v1  by credo:install")
        .contains("credo-default v2  by cli:")
        .contains(": rental deposits, approved by the board on 2026-11-20");
    // Another text under a saved version is refused.
    Files.writeString(wider, Files.readString(wider).replace("clause 7", "clause 8"));
    Run taken = credo("catalogue", "activate", wider.toString(), "--reason", "x", "--data", data);
    assertThat(taken.exit()).isEqualTo(2);
    assertThat(taken.err()).contains("already saved with other content");
  }
}
