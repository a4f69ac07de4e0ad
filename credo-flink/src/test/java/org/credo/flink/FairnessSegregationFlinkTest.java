package org.credo.flink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The streaming job never reads what fairness is measured by (SPEC §4.9). */
class FairnessSegregationFlinkTest {
  @Test
  void theJobNeverTouchesTheProtectedAttributes() {
    JavaClasses job = new ClassFileImporter().importPath(Path.of("target", "classes"));
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.credo.fairness..", "org.credo.store.fairness..", "org.credo.app.fairness..")
        .check(job);
  }
}
