package org.credo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The server is a front door (STYLE.md, "Layers"): it parses HTTP, calls the application layer and
 * renders. It holds no SQL (that is credo-store's) and its packages depend one way.
 */
class ServerArchitectureTest {
  /** This module's own classes only, not the application's or a library's. */
  static final JavaClasses SERVER =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void importsTheWholeModule() {
    assertThat(SERVER.stream().map(c -> c.getPackageName()))
        .anyMatch(p -> p.startsWith("org.credo.server"))
        .noneMatch(p -> p.equals("org.credo.store") || p.startsWith("org.credo.app"));
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.credo.(*)..").should().beFreeOfCycles().check(SERVER);
  }

  @Test
  void serverFeaturesAreFreeOfCycles() {
    slices()
        .matching("org.credo.server.(*)..")
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(true)
        .check(SERVER);
  }

  /**
   * No two classes of the server depend on each other, directly or round about: the composition
   * root builds the routes and hands them what they need, and a route never calls back into it.
   */
  @Test
  void serverClassesAreFreeOfCycles() {
    slices().assignedFrom(TOP_LEVEL_CLASSES).should().beFreeOfCycles().check(SERVER);
  }

  /** Each top-level class of the server (with its nested classes) is a slice of its own. */
  static final SliceAssignment TOP_LEVEL_CLASSES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          JavaClass top = c;
          while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
          }
          return top.getPackageName().startsWith("org.credo.server")
              ? SliceIdentifier.of(top.getSimpleName())
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the top-level classes of org.credo.server";
        }
      };

  @Test
  void onlyTheStoreUsesSql() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..")
        .check(SERVER);
  }

  @Test
  void theServerUsesNoCommandLineFramework() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("picocli..").check(SERVER);
  }
}
