package io.fleetpulse.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The folders tell the data flow, and the packages keep to it: no package cycles anywhere, the fleet model free of
 * CLI and process code, the schemas free of formulas, the generator free of Flink, lake maintenance between the job
 * and its readers. Benchmarks see every product module, so the rules are checked here.
 */
class PackageStructureTest {

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.fleetpulse");
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.fleetpulse.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theFleetModelIsFreeOfCliProcessAndKafkaCode() {
    noClasses().that().resideInAPackage("io.fleetpulse.model..").should().dependOnClassesThat()
        .resideInAnyPackage("picocli..", "io.fleetpulse.cli..", "org.apache.kafka..", "org.apache.flink..")
        .check(classes);
  }

  @Test
  void theSchemasHoldNoFormulasAndCreateNoTopics() {
    noClasses().that().resideInAPackage("io.fleetpulse.schema..").should().dependOnClassesThat()
        .resideInAnyPackage("io.fleetpulse.metrics..", "org.apache.kafka.clients.admin..", "org.apache.datasketches..")
        .check(classes);
  }

  @Test
  void theGeneratorRunsWithoutFlink() {
    noClasses().that().resideInAPackage("io.fleetpulse.generator..").should().dependOnClassesThat()
        .resideInAPackage("org.apache.flink..").check(classes);
  }

  @Test
  void lakeMaintenanceSitsBetweenTheJobAndItsReaders() {
    // The job writes the lake and knows nothing of its maintenance; readers (query) list through it.
    noClasses().that().resideInAPackage("io.fleetpulse.lake..").should().dependOnClassesThat()
        .resideInAnyPackage("io.fleetpulse.jobs..", "io.fleetpulse.runner..", "io.fleetpulse.query..",
            "org.apache.flink..").check(classes);
    noClasses().that().resideInAPackage("io.fleetpulse.jobs..").should().dependOnClassesThat()
        .resideInAPackage("io.fleetpulse.lake..").check(classes);
  }
}
