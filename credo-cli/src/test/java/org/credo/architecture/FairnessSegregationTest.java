package org.credo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The attributes fairness is measured by (SPEC §4.9: age band, sex, region) are kept apart and read
 * by the fairness report alone: never by a policy, the scoring core, a decision, a score, an export
 * or a list. Checked over every module on this one's class path: core, store, application, server
 * and CLI (the streaming job has its own check).
 */
class FairnessSegregationTest {
  static final JavaClasses CREDO =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.credo");

  @Test
  void importsEveryModule() {
    assertThat(CREDO.stream().map(c -> c.getPackageName()))
        .contains(
            "org.credo.scoring",
            "org.credo.store",
            "org.credo.app.fairness",
            "org.credo.server",
            "org.credo.cli");
  }

  /** Only the fairness vault opens what the fairness key sealed. */
  @Test
  void onlyTheVaultOpensTheSealedAttributes() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.credo.store.fairness..")
        .should()
        .callMethod(org.credo.store.Keys.class, "openFairness", byte[].class, byte[].class)
        .check(CREDO);
  }

  /**
   * Only the fairness report reads the vault: the store writes it at intake and erases from it,
   * nothing else touches it.
   */
  @Test
  void onlyTheFairnessReportReadsTheVault() {
    noClasses()
        .that()
        .resideOutsideOfPackages("org.credo.store.fairness..", "org.credo.app.fairness..")
        .should()
        .callMethod(org.credo.store.fairness.FairnessVault.class, "all")
        .orShould()
        .callMethod(org.credo.store.fairness.FairnessVault.class, "count")
        .orShould()
        .callConstructor(org.credo.store.fairness.FairnessVault.class, org.credo.store.Store.class)
        .check(CREDO);
  }

  /**
   * Policies, the scoring core, decisions, scores, lists, records, certificates and the engine
   * never see a protected attribute, not even its type.
   */
  @Test
  void noScoringOrDecisionPathDependsOnTheAttributes() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.credo.policy..",
            "org.credo.scoring..",
            "org.credo.decisions..",
            "org.credo.lists..",
            "org.credo.records..",
            "org.credo.catalogue..",
            "org.credo.firewall..",
            "org.credo.engine..",
            "org.credo.ingest..",
            "org.credo.certificates..",
            "org.credo.app.decisions..",
            "org.credo.app.scores..",
            "org.credo.app.lists..",
            "org.credo.app.records..",
            "org.credo.app.serving..",
            "org.credo.app.wire..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.credo.fairness..", "org.credo.store.fairness..", "org.credo.app.fairness..")
        .check(CREDO);
  }

  /**
   * A policy simulation shows the fairness effect of a change through the fairness report's counts,
   * never by reading the attributes itself.
   */
  @Test
  void aSimulationCountsFairnessOnlyThroughTheFairnessReport() {
    noClasses()
        .that()
        .resideInAPackage("org.credo.app.policies..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.credo.fairness..", "org.credo.store.fairness..")
        .check(CREDO);
  }

  /** In the front doors, only the fairness routes and command show the report. */
  @Test
  void onlyTheFairnessDoorsShowTheReport() {
    noClasses()
        .that()
        .resideInAnyPackage("org.credo.server..", "org.credo.cli..")
        .and()
        .haveNameNotMatching(".*\\.(FairnessRoutes|FairnessCommand|CredoServer)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.credo.fairness..", "org.credo.store.fairness..", "org.credo.app.fairness..")
        .check(CREDO);
  }
}
