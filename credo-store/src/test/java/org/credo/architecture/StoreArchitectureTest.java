package org.credo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The store module's shape: SQL lives here (it is the one module that may use {@code java.sql}),
 * but no front door does, and its feature packages depend on each other one way only.
 */
class StoreArchitectureTest {
  /** This module's own classes only, not the core's or a library's. */
  static final JavaClasses STORE = new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void importsTheWholeModule() {
    assertThat(STORE.contain(org.credo.store.Store.class)).isTrue();
    assertThat(STORE.contain(org.credo.engine.Engine.class)).isTrue();
    assertThat(STORE.contain(org.credo.policy.Policy.class)).isFalse();
  }

  @Test
  void storePackagesAreFreeOfCycles() {
    slices().matching("org.credo.(*)..").should().beFreeOfCycles().check(STORE);
  }

  @Test
  void storeUsesNoWebOrCommandLineFramework() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "picocli..")
        .check(STORE);
  }
}
