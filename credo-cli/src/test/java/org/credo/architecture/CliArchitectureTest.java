package org.credo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The command line is a front door (STYLE.md, "Layers"): it parses arguments, calls the application
 * layer and prints. It holds no SQL (that is credo-store's) and its packages depend one way.
 */
class CliArchitectureTest {
  /** This module's own classes only, not the server's or a library's. */
  static final JavaClasses CLI = new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void importsTheWholeModule() {
    assertThat(CLI.stream().map(c -> c.getPackageName()))
        .anyMatch(p -> p.equals("org.credo.cli"))
        .anyMatch(p -> p.equals("org.credo.generate"))
        .noneMatch(p -> p.equals("org.credo.server") || p.equals("org.credo.store"));
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.credo.(*)..").should().beFreeOfCycles().check(CLI);
  }

  @Test
  void onlyTheStoreUsesSql() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..")
        .check(CLI);
  }
}
