package org.credo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The application layer (STYLE.md, "Layers"): use cases between the front doors and the store. It
 * takes plain values and returns outcomes, so it knows no web server, no command line and no SQL: a
 * door that speaks HTTP or a terminal adapts to it, and SQL stays in credo-store.
 */
class AppArchitectureTest {
  /** This module's own classes only, not the store's or a library's. */
  static final JavaClasses APP = new ClassFileImporter().importPath(Path.of("target", "classes"));

  static final String[] APPLICATION_LAYER = {
    "org.credo.app..", "org.credo.signing..", "org.credo.certificates.."
  };

  @Test
  void importsTheWholeModule() {
    assertThat(APP.stream().map(c -> c.getPackageName()))
        .anyMatch(p -> p.startsWith("org.credo.app"))
        .anyMatch(p -> p.equals("org.credo.signing"))
        .anyMatch(p -> p.equals("org.credo.certificates"))
        .noneMatch(p -> p.equals("org.credo.store") || p.equals("org.credo.policy"));
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.credo.(*)..").should().beFreeOfCycles().check(APP);
  }

  @Test
  void applicationFeaturesAreFreeOfCycles() {
    slices()
        .matching("org.credo.app.(*)..")
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(true)
        .check(APP);
  }

  @Test
  void theApplicationLayerKnowsNoFrontDoorAndNoSql() {
    noClasses()
        .that()
        .resideInAnyPackage(APPLICATION_LAYER)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "picocli..", "java.sql..", "javax.sql..")
        .check(APP);
  }

  @Test
  void onlyTheStoreUsesSql() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..")
        .check(APP);
  }
}
