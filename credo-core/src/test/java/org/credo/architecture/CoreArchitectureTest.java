package org.credo.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Keeps the scoring core pure: no file, network or database I/O, no web, stream-processing or
 * logging framework, and no reading of the clock — time is always passed in.
 */
class CoreArchitectureTest {
  static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.credo");

  @Test
  void checksTheWholeCore() {
    org.assertj.core.api.Assertions.assertThat(CORE.contain(org.credo.scoring.Scorer.class))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(CORE.contain(org.credo.policy.PolicyLoader.class))
        .isTrue();
  }

  @Test
  void coreDoesNoIo() {
    // One exception: the firewall's lexicon ships inside the engine's jar and is read from the
    // class path once; it is part of the code, not input from the outside world.
    noClasses()
        .that(not(name("org.credo.firewall.Lexicon")))
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                    "java.nio.file..",
                    "java.net..",
                    "java.sql..",
                    "javax.sql..",
                    "java.nio.channels..")
                .or(
                    resideInAPackage("java.io")
                        .and(not(name("java.io.StringReader")))
                        .and(not(name("java.io.Serializable")))))
        .check(CORE);
  }

  @Test
  void coreUsesNoFramework() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                "io.javalin..",
                "org.eclipse.jetty..",
                "org.apache.flink..",
                "org.apache.kafka..",
                "org.slf4j..",
                "ch.qos.logback..",
                "picocli..",
                "org.springframework.."))
        .check(CORE);
  }

  @Test
  void coreNeverReadsTheClock() {
    noClasses().should().callMethod(Instant.class, "now").check(CORE);
    noClasses().should().callMethod(System.class, "currentTimeMillis").check(CORE);
    noClasses().should().callMethod(System.class, "nanoTime").check(CORE);
    noClasses().should().callMethod(Clock.class, "systemUTC").check(CORE);
    noClasses().should().callMethod(Clock.class, "systemDefaultZone").check(CORE);
    noClasses().should().callMethod(LocalDate.class, "now").check(CORE);
  }

  /** Features depend one way: records and subjects, then policy, then scoring, then decisions. */
  @Test
  void corePackagesAreFreeOfCycles() {
    slices().matching("org.credo.(*)..").should().beFreeOfCycles().check(CORE);
  }
}
