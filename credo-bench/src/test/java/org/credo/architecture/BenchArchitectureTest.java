package org.credo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmarks measure Credo through its modules' APIs, not around them. */
class BenchArchitectureTest {
  /** This module's own classes only (with JMH's generated ones), not a library's. */
  static final JavaClasses BENCH = new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void importsTheWholeModule() {
    assertThat(BENCH.stream().map(c -> c.getPackageName()))
        .anyMatch(p -> p.startsWith("org.credo.bench"))
        .noneMatch(p -> p.equals("org.credo.store") || p.equals("org.credo.cli"));
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.credo.(*)..").should().beFreeOfCycles().check(BENCH);
  }

  /**
   * Only the store uses SQL. Exempt, on purpose: {@code SqliteCeiling} measures SQLite itself (the
   * ceiling a store append could reach) by writing to it directly; {@code AuditVerifyBench} reads
   * the audit log's last sequence number straight from the table, to reuse a store it filled before
   * without verifying ten million entries first.
   */
  @Test
  void onlyTheStoreUsesSql() {
    noClasses()
        .that()
        .doNotBelongToAnyOf(
            org.credo.bench.SqliteCeiling.class, org.credo.bench.AuditVerifyBench.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..")
        .check(BENCH);
  }
}
