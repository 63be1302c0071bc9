package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.generator.ChipSampleWriter;
import io.fleetpulse.jobs.alerts.AlertRules;
import io.fleetpulse.jobs.carbon.GridInput;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.model.Activity;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.GridProfile;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.GridIntensity;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline on a MiniCluster with an in-memory source of real encoded samples (plus bad ones) and
 * collecting sinks, and the hour's grid intensity (plus bad records) from the grid profile's pure function; every
 * metric of every window, the hourly carbon columns included, is checked against {@link WindowOracle} and the
 * profile.
 */
class MetricsPipelineTest {

  /** Every metric the job registered, kept after it finished: what a metrics reporter (Prometheus) is given. */
  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final Instant START = Instant.parse("2026-11-25T14:00:00Z");
  static final int CHIPS = 1024;
  static final int TICKS = 24; // 4 minutes of 10 s samples

  static FleetModel model;
  static FleetConfig config;
  static Map<WindowOracle.Key, WindowOracle.Expected> expected;
  static List<WindowMetrics> windows;
  static List<DeadLetter> deadLetters;
  static List<WindowMetrics> sites;
  static List<WindowMetrics> generations;
  static List<WindowMetrics> fleet;
  static List<WindowMetrics> workloads;
  static List<WindowMetrics> tenants;
  static Map<AggregationLevel, CollectingSink<WindowMetrics>> hourSinks = new java.util.EnumMap<>(AggregationLevel.class);
  static Map<AggregationLevel, CollectingSink<WindowMetrics>> daySinks = new java.util.EnumMap<>(AggregationLevel.class);
  static List<Alert> alerts;
  static byte[] garbage = "not avro at all".getBytes();
  static byte[] truncated;
  static List<Map.Entry<String, Metric>> metrics;

  @BeforeAll
  static void runPipeline() throws Exception {
    // Plenty of stragglers, so the alert check has something to find.
    // Enough reserved-idle capacity that 16 UltraServers hold both a reservation and unplaced capacity.
    config = FleetConfigLoader.load(null, Map.of("fleet.chips", Integer.toString(CHIPS),
        "faults.straggler_share", "0.03", "workloads.training_share", "0.3", "workloads.reserved_idle_share", "0.2"));
    model = new FleetModel(config);
    long startTick = model.tickOf(START.toEpochMilli());
    expected = WindowOracle.compute(model, 0, CHIPS, startTick, startTick + TICKS, 60_000);

    ArrayList<byte[]> records = new ArrayList<>();
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    for (long tick = startTick; tick < startTick + TICKS; tick++) {
      for (int chip = 0; chip < CHIPS; chip++) {
        if (model.sample(chip, tick, s)) records.add(writer.encode(s));
      }
      if (tick == startTick + 3) records.addAll(badRecords(records.get(0)));
    }
    // Lateness depends on when watermarks happen to be emitted in a parallel run, so it is tested where time is
    // driven by hand: UltraServerWindowHarnessTest.

    CollectingSink<WindowMetrics> windowSink = new CollectingSink<>();
    CollectingSink<WindowMetrics> siteSink = new CollectingSink<>();
    CollectingSink<WindowMetrics> generationSink = new CollectingSink<>();
    CollectingSink<WindowMetrics> fleetSink = new CollectingSink<>();
    CollectingSink<WindowMetrics> workloadSink = new CollectingSink<>();
    CollectingSink<WindowMetrics> tenantSink = new CollectingSink<>();
    CollectingSink<Alert> alertSink = new CollectingSink<>();
    CollectingSink<DeadLetter> deadLetterSink = new CollectingSink<>();
    MetricFactors factors = MetricFactors.from(config);
    DataGeneratorSource<TelemetryRecord> source = InMemorySources.telemetry(config, factors, records);

    // The hour's grid figures of every site, from the profile's pure function, and bad ones beside them.
    List<byte[]> gridRecords = new ArrayList<>();
    for (int site = 0; site < config.sites().size(); site++) {
      gridRecords.add(gridRecord(model.gridHour(site, START.toEpochMilli())));
    }
    gridRecords.addAll(badGridRecords(gridRecords.get(0)));
    DataGeneratorSource<GridInput> gridSource = InMemorySources.grid(factors, gridRecords);

    // (From a @BeforeAll the environment is a local one of its own, not the extension's: it gets the reporter here.)
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
        METRICS.addToConfiguration(new Configuration()));
    env.setParallelism(2);
    AlertRules judgeEveryWindow = new AlertRules(1, 0.8, 0.3, 2, 10, 100, 0.95, 0.3, 0.95);
    MetricsPipeline.Sinks downsampled = MetricsPipeline.Sinks.none();
    for (AggregationLevel level : AggregationLevel.values()) {
      hourSinks.put(level, new CollectingSink<>());
      downsampled = downsampled.hourTable(level, hourSinks.get(level));
      if (level == AggregationLevel.ULTRASERVER) continue;
      daySinks.put(level, new CollectingSink<>());
      downsampled = downsampled.dayTable(level, daySinks.get(level));
    }
    new MetricsPipeline(source, new MetricsPipeline.Sinks(Map.of(), Map.of(), null, null, null, null,
        downsampled.hourTables(), downsampled.dayTables())
        .windowTable(AggregationLevel.ULTRASERVER, windowSink)
        .windowTable(AggregationLevel.SITE, siteSink)
        .windowTable(AggregationLevel.GENERATION, generationSink)
        .windowTopic(AggregationLevel.FLEET, fleetSink)
        .windowTable(AggregationLevel.WORKLOAD, workloadSink)
        .windowTopic(AggregationLevel.TENANT, tenantSink)
        .alerts(null, alertSink)
        .deadLetters(deadLetterSink),
        new MetricsPipeline.Settings(Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ZERO,
            Duration.ofMinutes(1), factors, judgeEveryWindow))
        // A bounded test waits for the figures as long as it takes: the end of input releases every window.
        .withGridIntensity(gridSource, Duration.ofHours(1))
        .build(env);
    JobID job = env.execute("metrics-pipeline-test").getJobID();
    // By identifier ("...fleet-gauges: Writer.0.fleetpulse.fleet.power_watts"); a list, as Flink registers some of
    // its own metrics twice under one name.
    metrics = METRICS.getMetricsByGroup().entrySet().stream()
        .filter(g -> job.toString().equals(g.getKey().getAllVariables().get("<job_id>")))
        .flatMap(g -> g.getValue().entrySet().stream()
            .map(e -> Map.entry(g.getKey().getMetricIdentifier(e.getKey()), e.getValue())))
        .toList();
    windows = windowSink.results();
    sites = siteSink.results();
    generations = generationSink.results();
    fleet = fleetSink.results();
    workloads = workloadSink.results();
    tenants = tenantSink.results();
    alerts = alertSink.results();
    deadLetters = deadLetterSink.results();
  }

  @Test
  void rollUpsAreTheSumsOfTheirUltraServers() {
    Map<String, List<WindowMetrics>> groups = new java.util.HashMap<>();
    for (WindowMetrics m : sites) groups.put("site " + m.getSite() + " " + m.getWindowStart(), List.of(m));
    for (WindowMetrics m : generations) groups.put("gen " + m.getGeneration() + " " + m.getWindowStart(), List.of(m));
    for (WindowMetrics m : fleet) groups.put("fleet " + m.getWindowStart(), List.of(m));
    assertThat(fleet).hasSize(4).allSatisfy(m -> assertThat(m.getLevel()).isEqualTo(AggregationLevel.FLEET));
    assertThat(sites).hasSize(4 * 3);
    assertThat(generations).hasSize(4).allSatisfy(m -> assertThat(m.getGeneration()).isEqualTo("trn2"));

    for (WindowMetrics roll : concat(sites, generations, fleet)) {
      List<WindowOracle.Expected> members = expected.entrySet().stream()
          .filter(e -> e.getKey().windowStart() == roll.getWindowStart().toEpochMilli())
          .filter(e -> roll.getSite() == null || roll.getSite().equals(e.getValue().site))
          .filter(e -> roll.getGeneration() == null || roll.getGeneration().equals(e.getValue().generation))
          .map(Map.Entry::getValue).toList();
      assertThat(roll.getUltraservers()).isEqualTo(members.size());
      assertThat(roll.getSamples()).isEqualTo(members.stream().mapToLong(e -> e.samples).sum());
      assertThat(roll.getChipsReporting()).isEqualTo(members.stream().mapToInt(e -> e.chips.size()).sum());
      double energy = members.stream().mapToDouble(WindowOracle.Expected::itEnergyKwh).sum();
      double delivered = members.stream().mapToDouble(WindowOracle.Expected::deliveredPflop).sum();
      double facility = members.stream().mapToDouble(e -> e.itEnergyKwh() * config.site(e.site).pue()).sum();
      double carbon = members.stream().mapToDouble(e -> e.itEnergyKwh() * config.site(e.site).pue()
          * model.gridHour(model.siteIndex(e.site), roll.getWindowStart().toEpochMilli()).locationGPerKwh() / 1000)
          .sum();
      double cfe = members.stream().mapToDouble(e -> {
        GridProfile.Hour h = model.gridHour(model.siteIndex(e.site), roll.getWindowStart().toEpochMilli());
        double f = e.itEnergyKwh() * config.site(e.site).pue();
        return f * h.contractedCfeShare() + f * (1 - h.contractedCfeShare()) * h.gridCfeShare();
      }).sum();
      double embodied = members.stream().mapToDouble(e -> e.chipSeconds
          * config.generation(e.generation).embodiedKgPerChipSecond()).sum();
      double cost = members.stream().mapToDouble(e -> e.chipSeconds / 3600 * 35.76 / 16).sum();
      assertRelative(roll.getItEnergyKwh(), energy);
      assertRelative(roll.getFacilityEnergyKwh(), facility);
      assertRelative(roll.getDeliveredPflop(), delivered);
      assertRelative(roll.getCarbonLocationKg(), carbon);
      assertRelative(roll.getGridFactorGPerKwh(), carbon * 1000 / facility);
      assertRelative(roll.getCfeShare(), cfe / facility);
      assertRelative(roll.getEmbodiedCarbonKg(), embodied);
      assertRelative(roll.getCarbonTotalGPerPflop(), (carbon + embodied) * 1000 / delivered);
      assertThat(roll.getHourlyFactorWindows()).isEqualTo(members.size());
      assertRelative(roll.getCostUsd(), cost);
      assertRelative(roll.getUsdPerPflop(), cost / delivered);
      assertThat(roll.getPowerMaxW()).isEqualTo(members.stream().mapToDouble(e -> e.powerMax).max().orElseThrow());
      assertThat(roll.getFactorsUsed()).contains("trn2 667 TFLOPS").contains("GPU baseline");
      if (roll.getSite() != null) assertThat(roll.getFactorsUsed()).contains(roll.getSite() + " PUE 1.15");
    }
    assertThat(fleet.get(0).getFactorsUsed()).contains("us-in PUE", "us-pa PUE", "us-ms PUE", "eGRID2023 (RFCW)");
  }

  /**
   * Oracle: the generator's pure sample function (which workload and tenant it labelled each UltraServer's samples
   * with), not the job's output: every UltraServer window lands in exactly one workload and one tenant row, and
   * their energy, cost and carbon add up to the fleet's.
   */
  @Test
  void workloadAndTenantWindowsPartitionTheFleetExactly() {
    FleetLayout layout = model.layout();
    assertThat(windows).allSatisfy(m -> {
      WindowOracle.Expected e = expected.get(new WindowOracle.Key(m.getUltraserverId(),
          m.getWindowStart().toEpochMilli()));
      assertThat(m.getWorkload()).isEqualTo(e.workload < 0 ? "unplaced" : layout.workloadName(e.workload));
      assertThat(m.getTenant()).isEqualTo(e.tenant < 0 ? "unplaced" : layout.tenantIds().get(e.tenant));
      assertRelative(m.getIdleCostUsd(), e.idleChipSeconds / 3600 * 35.76 / 16);
    });
    assertThat(windows).extracting(WindowMetrics::getWorkload).contains("unplaced")
        .anyMatch(w -> w.startsWith("resv-")).anyMatch(w -> w.startsWith("train-"));
    for (WindowMetrics f : fleet) {
      for (List<WindowMetrics> level : List.of(workloads, tenants)) {
        List<WindowMetrics> parts = level.stream().filter(m -> m.getWindowStart().equals(f.getWindowStart())).toList();
        assertThat(parts.stream().mapToInt(WindowMetrics::getUltraservers).sum()).isEqualTo(f.getUltraservers());
        assertThat(parts.stream().mapToLong(WindowMetrics::getSamples).sum()).isEqualTo(f.getSamples());
        assertThat(Math.abs(parts.stream().mapToDouble(WindowMetrics::getFacilityEnergyKwh).sum()
            - f.getFacilityEnergyKwh())).isLessThanOrEqualTo(1e-9 * f.getFacilityEnergyKwh());
        assertThat(Math.abs(parts.stream().mapToDouble(WindowMetrics::getCostUsd).sum() - f.getCostUsd()))
            .isLessThanOrEqualTo(1e-9 * f.getCostUsd());
        assertThat(Math.abs(parts.stream().mapToDouble(WindowMetrics::getCarbonLocationKg).sum()
            - f.getCarbonLocationKg())).isLessThanOrEqualTo(1e-9 * f.getCarbonLocationKg());
        assertThat(Math.abs(parts.stream().mapToDouble(WindowMetrics::getCarbonMarketKg).sum()
            - f.getCarbonMarketKg())).isLessThanOrEqualTo(1e-9 * f.getCarbonMarketKg());
        assertThat(Math.abs(parts.stream().mapToDouble(WindowMetrics::getIdleCostUsd).sum() - f.getIdleCostUsd()))
            .isLessThanOrEqualTo(1e-9 * f.getIdleCostUsd());
      }
    }
    // Each tenant row is the sum of its workloads' rows.
    for (WindowMetrics t : tenants) {
      double cost = workloads.stream().filter(w -> w.getWindowStart().equals(t.getWindowStart())
          && w.getTenant().equals(t.getTenant())).mapToDouble(WindowMetrics::getCostUsd).sum();
      assertRelative(t.getCostUsd(), cost);
      assertThat(t.getWorkload()).isNull();
    }
    assertThat(tenants).extracting(WindowMetrics::getTenant).contains("unplaced")
        .containsAnyElementsOf(config.workloads().tenantMix().keySet());
  }

  /**
   * Oracle: the minute windows the same run wrote (this checks the re-aggregation, not ingestion, which the tests
   * above check against the generator): each hour row is the sum of its group's minute rows, each day row the sum of
   * its hours, for every level, sketches included.
   */
  @Test
  void hourAndDayRowsAreTheSumsOfTheirWindows() {
    Map<AggregationLevel, List<WindowMetrics>> minutes = Map.of(AggregationLevel.ULTRASERVER, windows,
        AggregationLevel.SITE, sites, AggregationLevel.GENERATION, generations, AggregationLevel.FLEET, fleet,
        AggregationLevel.WORKLOAD, workloads, AggregationLevel.TENANT, tenants);
    for (AggregationLevel level : AggregationLevel.values()) {
      List<WindowMetrics> hours = hourSinks.get(level).results();
      assertThat(hours).as(level + " hours").isNotEmpty();
      assertSumsOf(level, hours, minutes.get(level), 3_600_000L);
      if (level != AggregationLevel.ULTRASERVER) assertSumsOf(level, daySinks.get(level).results(), hours, 86_400_000L);
    }
    assertThat(daySinks.get(AggregationLevel.FLEET).results()).hasSize(1);
  }

  /** Every finer row is in exactly one coarser row of its group, and each coarser row adds its finer rows up. */
  private static void assertSumsOf(AggregationLevel level, List<WindowMetrics> coarse, List<WindowMetrics> fine,
      long grainMs) {
    java.util.function.Function<WindowMetrics, String> group = m -> m.getUltraserverId() + "|" + m.getSite() + "|"
        + m.getGeneration() + "|" + m.getWorkload() + "|" + m.getTenant();
    assertThat(coarse.stream().map(m -> group.apply(m) + m.getWindowStart()).distinct().count())
        .as(level + ": one row per group and period").isEqualTo(coarse.size());
    assertThat(coarse.stream().mapToLong(WindowMetrics::getSamples).sum()).as(level + " samples")
        .isEqualTo(fine.stream().mapToLong(WindowMetrics::getSamples).sum());
    for (WindowMetrics c : coarse) {
      assertThat(c.getWindowEnd().toEpochMilli() - c.getWindowStart().toEpochMilli()).isEqualTo(grainMs);
      List<WindowMetrics> parts = fine.stream().filter(f -> group.apply(f).equals(group.apply(c))
          && Math.floorDiv(f.getWindowStart().toEpochMilli(), grainMs) * grainMs == c.getWindowStart().toEpochMilli())
          .toList();
      assertThat(parts).as(level + " " + group.apply(c)).isNotEmpty();
      assertThat(c.getSamples()).isEqualTo(parts.stream().mapToLong(WindowMetrics::getSamples).sum());
      assertThat(c.getUltraservers()).isEqualTo(parts.stream().mapToInt(WindowMetrics::getUltraservers).sum());
      assertRelative(c.getCostUsd(), parts.stream().mapToDouble(WindowMetrics::getCostUsd).sum());
      assertRelative(c.getFacilityEnergyKwh(), parts.stream().mapToDouble(WindowMetrics::getFacilityEnergyKwh).sum());
      assertRelative(c.getCarbonMarketKg(), parts.stream().mapToDouble(WindowMetrics::getCarbonMarketKg).sum());
      assertRelative(c.getDeliveredPflop(), parts.stream().mapToDouble(WindowMetrics::getDeliveredPflop).sum());
      assertThat(c.getPowerMaxW()).isEqualTo(parts.stream().mapToDouble(WindowMetrics::getPowerMaxW).max().orElseThrow());
      assertThat(org.apache.datasketches.kll.KllFloatsSketch.heapify(org.apache.datasketches.memory.Memory.wrap(
          c.getUtilizationSketch().array())).getN()).isEqualTo(c.getSamples());
    }
  }

  @Test
  void stragglerAlertsNameExactlyTheChipsTheModelSlowedDown() {
    java.util.Set<Integer> expectedStragglers = new java.util.TreeSet<>();
    long startTick = model.tickOf(START.toEpochMilli());
    Sample s = new Sample();
    for (int chip = 0; chip < CHIPS; chip++) {
      if (model.isStraggler(chip) && model.sample(chip, startTick, s) && s.activity == Activity.TRAINING) {
        expectedStragglers.add(chip);
      }
    }
    assertThat(expectedStragglers).hasSizeGreaterThan(3);
    assertThat(alerts).filteredOn(a -> a.getKind() == AlertKind.STRAGGLER)
        .allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.OPEN))
        .flatExtracting(Alert::getChipIds)
        .containsExactlyInAnyOrderElementsOf(expectedStragglers);
  }

  @SafeVarargs
  static List<WindowMetrics> concat(List<WindowMetrics>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }

  static byte[] gridRecord(GridProfile.Hour h) {
    return AvroCodec.GRID_INTENSITY.encode(GridIntensity.newBuilder().setSite(h.site())
        .setHourStart(Instant.ofEpochMilli(h.hourStartMs())).setLocationGPerKwh(h.locationGPerKwh())
        .setGridCfeShare(h.gridCfeShare()).setResidualGPerKwh(h.residualGPerKwh())
        .setContractedCfeShare(h.contractedCfeShare()).setSource(h.source()).build());
  }

  static List<byte[]> badGridRecords(byte[] good) {
    GridIntensity nan = AvroCodec.GRID_INTENSITY.decode(good);
    nan.setLocationGPerKwh(Double.NaN);
    GridIntensity negative = AvroCodec.GRID_INTENSITY.decode(good);
    negative.setResidualGPerKwh(-1);
    GridIntensity mars = AvroCodec.GRID_INTENSITY.decode(good);
    mars.setSite("mars-1");
    return List.of("garbage".getBytes(), AvroCodec.GRID_INTENSITY.encode(nan), AvroCodec.GRID_INTENSITY.encode(negative),
        AvroCodec.GRID_INTENSITY.encode(mars));
  }

  static List<byte[]> badRecords(byte[] good) {
    truncated = Arrays.copyOf(good, 20);
    ChipSample tooBusy = AvroCodec.CHIP_SAMPLE.decode(good);
    tooBusy.setUtilization(1.7);
    ChipSample noPower = AvroCodec.CHIP_SAMPLE.decode(good);
    noPower.setPowerW(Double.NaN);
    ChipSample mars = AvroCodec.CHIP_SAMPLE.decode(good);
    mars.setSite("mars-1");
    return List.of(garbage, truncated, AvroCodec.CHIP_SAMPLE.encode(tooBusy), AvroCodec.CHIP_SAMPLE.encode(noPower),
        AvroCodec.CHIP_SAMPLE.encode(mars), new byte[0]);
  }

  @Test
  void oneRowPerReportingUltraServerPerWindow() {
    assertThat(windows).extracting(m -> new WindowOracle.Key(m.getUltraserverId(), m.getWindowStart().toEpochMilli()))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(expected.keySet().stream().map(WindowOracle.Key::windowStart).distinct()).hasSize(4);
  }

  @Test
  void countsAndSumsMatchTheOracle() {
    for (WindowMetrics m : windows) {
      WindowOracle.Expected e = expected.get(new WindowOracle.Key(m.getUltraserverId(), m.getWindowStart().toEpochMilli()));
      FleetConfig.Site site = config.site(e.site);
      FleetConfig.Generation gen = config.generation(e.generation);
      assertThat(m.getSite()).isEqualTo(e.site);
      assertThat(m.getGeneration()).isEqualTo(e.generation);
      assertThat(m.getSamples()).isEqualTo(e.samples);
      assertThat(m.getChipsReporting()).isEqualTo(e.chips.size());
      assertThat(m.getWindowEnd().toEpochMilli() - m.getWindowStart().toEpochMilli()).isEqualTo(60_000);
      assertRelative(m.getChipSeconds(), e.chipSeconds);
      assertRelative(m.getUtilizationAvg(), e.utilizationSum / e.samples);
      assertRelative(m.getHbmUtil(), e.hbmUsedSum / e.hbmCapacitySum);
      assertRelative(m.getPowerAvgW(), e.powerSum / e.samples);
      assertThat(m.getPowerMaxW()).isEqualTo(e.powerMax);
      assertRelative(m.getItEnergyKwh(), e.itEnergyKwh());
      assertRelative(m.getFacilityEnergyKwh(), e.itEnergyKwh() * site.pue());
      assertRelative(m.getIdleEnergyKwh(), e.idleEnergyJ / 3.6e6);
      assertRelative(m.getDeliveredPflop(), e.deliveredPflop());
      assertRelative(m.getEfficiencyTflopsPerW(), e.busyTflop / e.energyJ);
      // Carbon at the hour's grid figures: the profile's pure function, not the job's join.
      GridProfile.Hour hour = model.gridHour(model.siteIndex(e.site), m.getWindowStart().toEpochMilli());
      double facility = e.itEnergyKwh() * site.pue();
      double uncovered = facility * (1 - hour.contractedCfeShare());
      double location = facility * hour.locationGPerKwh() / 1000;
      double market = uncovered * hour.residualGPerKwh() / 1000;
      double embodied = e.chipSeconds * (gen.embodiedKgPerChip() + gen.embodiedServerKgPerChip())
          / (gen.lifetimeYears() * 365.25 * 86_400);
      assertRelative(m.getCarbonLocationKg(), location);
      assertRelative(m.getCarbonMarketKg(), market);
      assertRelative(m.getResidualFacilityEnergyKwh(), uncovered);
      assertRelative(m.getGridFactorGPerKwh(), hour.locationGPerKwh());
      assertRelative(m.getResidualFactorGPerKwh(), hour.residualGPerKwh());
      assertRelative(m.getGridCfeEnergyKwh(), uncovered * hour.gridCfeShare());
      assertRelative(m.getCfeShare(), hour.contractedCfeShare() + (1 - hour.contractedCfeShare()) * hour.gridCfeShare());
      assertRelative(m.getEmbodiedCarbonKg(), embodied);
      assertRelative(m.getCarbonTotalGPerPflop(), (location + embodied) * 1000 / e.deliveredPflop());
      assertRelative(m.getCarbonTotalMarketGPerPflop(), (market + embodied) * 1000 / e.deliveredPflop());
      assertThat(m.getHourlyFactorWindows()).isEqualTo(1);
      assertThat(m.getFactorsUsed()).contains(e.site + " hourly grid intensity (FleetPulse grid profile 2023");
      assertRelative(m.getCostUsd(), e.chipSeconds / 3600 * gen.pricePerChipHourUsd());
      double usdPerPflop = e.chipSeconds / 3600 * gen.pricePerChipHourUsd() / e.deliveredPflop();
      assertRelative(m.getUsdPerPflop(), usdPerPflop);
      // H100 at 40%: $6.88 per 989 * 0.4 * 3.6 PFLOP
      assertRelative(m.getPricePerfVsGpu(), (6.88 / (989 * 0.4 * 3.6)) / usdPerPflop - 1);
      assertThat(m.getPowerModelled()).isTrue();
    }
  }

  @Test
  void percentilesAreWithinTheSketchRankError() {
    for (WindowMetrics m : windows) {
      List<Double> sorted = expected.get(new WindowOracle.Key(m.getUltraserverId(), m.getWindowStart().toEpochMilli()))
          .utilizations.stream().sorted().toList();
      for (double[] q : new double[][] {{0.5, m.getUtilizationP50()}, {0.95, m.getUtilizationP95()}}) {
        double rank = sorted.stream().filter(v -> v <= q[1] + 1e-6).count() / (double) sorted.size();
        assertThat(rank).as("rank of p%.0f", q[0] * 100).isCloseTo(q[0], offset(0.03 + 1.0 / sorted.size()));
      }
    }
  }

  @Test
  void badRecordsAreDeadLetteredWithReasonAndOriginalBytes() {
    Map<DeadLetterReason, Long> reasons =
        deadLetters.stream().collect(Collectors.groupingBy(d -> d.reason, Collectors.counting()));
    assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
        DeadLetterReason.NOT_AVRO, 3L, // text, an empty value, and text on the grid topic
        DeadLetterReason.MALFORMED, 1L,
        DeadLetterReason.OUT_OF_RANGE, 4L, // two samples, and a NaN and a negative grid factor
        DeadLetterReason.UNKNOWN_SITE, 2L)); // a sample and a grid record from mars-1
    assertThat(deadLetters).filteredOn(d -> "grid".equals(d.sourceTopic)).extracting(d -> d.detail)
        .anySatisfy(d -> assertThat(d).startsWith("location_g_per_kwh NaN"))
        .anySatisfy(d -> assertThat(d).startsWith("residual_g_per_kwh -1.0"))
        .anySatisfy(d -> assertThat(d).startsWith("site 'mars-1'"));
    assertThat(deadLetters).filteredOn(d -> d.reason == DeadLetterReason.NOT_AVRO)
        .extracting(d -> d.value).containsExactlyInAnyOrder(garbage, new byte[0], "garbage".getBytes());
    assertThat(deadLetters).filteredOn(d -> d.reason == DeadLetterReason.MALFORMED)
        .extracting(d -> d.value).containsExactly(truncated);
    assertThat(deadLetters).filteredOn(d -> d.reason == DeadLetterReason.OUT_OF_RANGE)
        .extracting(d -> d.detail).anySatisfy(d -> assertThat(d).startsWith("utilization 1.7"))
        .anySatisfy(d -> assertThat(d).startsWith("power_w NaN"));
  }

  /** The metrics whose identifier ends with {@code suffix} (one per subtask that registered it). */
  static List<Metric> metricsEndingWith(String suffix) {
    return metrics.stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue).toList();
  }

  static double gauge(String suffix) {
    List<Metric> found = metricsEndingWith(suffix);
    assertThat(found).as("gauge *%s", suffix).hasSize(1);
    return ((Number) ((Gauge<?>) found.get(0)).getValue()).doubleValue();
  }

  static long counted(String suffix) {
    return metricsEndingWith(suffix).stream().mapToLong(m -> ((Counter) m).getCount()).sum();
  }

  @Test
  void theGaugesHoldTheLatestWindowOfEachSiteGenerationAndTheFleet() {
    WindowMetrics last = fleet.stream().max(java.util.Comparator.comparing(WindowMetrics::getWindowStart))
        .orElseThrow();
    assertThat(gauge("fleetpulse.fleet.window_end_seconds")).isEqualTo(last.getWindowEnd().toEpochMilli() / 1000.0);
    assertThat(gauge("fleetpulse.fleet.power_watts")).isEqualTo(last.getItEnergyKwh() * 3.6e6 / 60);
    assertThat(gauge("fleetpulse.fleet.it_energy_kwh")).isEqualTo(last.getItEnergyKwh());
    assertThat(gauge("fleetpulse.fleet.utilization")).isEqualTo(last.getUtilizationAvg());
    assertThat(gauge("fleetpulse.fleet.carbon_location_kg")).isEqualTo(last.getCarbonLocationKg());
    assertThat(gauge("fleetpulse.fleet.usd_per_pflop")).isEqualTo(last.getUsdPerPflop());
    assertThat(gauge("fleetpulse.fleet.chips_reporting")).isEqualTo(last.getChipsReporting());
    assertRelative(gauge("fleetpulse.fleet.cost_usd_per_hour"), last.getCostUsd() * 60);
    assertRelative(gauge("fleetpulse.fleet.idle_cost_usd_per_hour"),
        last.getCostUsd() * last.getIdleSamples() / last.getSamples() * 60);
    for (WindowMetrics site : sites) {
      if (!site.getWindowStart().equals(last.getWindowStart())) continue;
      assertThat(gauge("fleetpulse.site." + site.getSite() + ".power_watts"))
          .isEqualTo(site.getItEnergyKwh() * 3.6e6 / 60);
    }
    assertThat(gauge("fleetpulse.generation.trn2.carbon_market_kg"))
        .isEqualTo(generations.stream().filter(g -> g.getWindowStart().equals(last.getWindowStart())).findFirst()
            .orElseThrow().getCarbonMarketKg());
    // Bounded: the gauges of 3 sites, 1 generation and the fleet, whatever the number of UltraServers and chips.
    assertThat(metrics.stream().map(Map.Entry::getKey).filter(k -> k.matches(".*\\.fleetpulse\\.(site|generation|fleet)\\..*")))
        .hasSize((3 + 1 + 1) * io.fleetpulse.jobs.monitor.WindowGauges.GAUGES.size());
  }

  @Test
  void theCountersCountWhatThePipelineDid() {
    assertThat(counted("fleetpulse.readings_valid")).isEqualTo(windows.stream().mapToLong(WindowMetrics::getSamples)
        .sum());
    // Telemetry and grid-intensity dead letters share the sink; each source counts its own.
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      assertThat(counted("fleetpulse.dead_letters_" + reason.name())).as(reason.name())
          .isEqualTo(deadLetters.stream().filter(d -> d.reason == reason && !"grid".equals(d.sourceTopic)).count());
      assertThat(counted("fleetpulse.grid_intensity_dead_letters_" + reason.name())).as("grid " + reason.name())
          .isEqualTo(deadLetters.stream().filter(d -> d.reason == reason && "grid".equals(d.sourceTopic)).count());
    }
    assertThat(deadLetters).anyMatch(d -> "grid".equals(d.sourceTopic));
    assertThat(counted("fleetpulse.windows_emitted")).isEqualTo(windows.size());
    // One delay per UltraServer window, and per site, generation and fleet window.
    List<Long> delays = metricsEndingWith("fleetpulse.window_emission_delay_seconds").stream()
        .map(m -> ((Histogram) m).getCount()).toList();
    assertThat(delays.stream().mapToLong(Long::longValue).sum())
        .isEqualTo(windows.size() + sites.size() + generations.size() + fleet.size() + workloads.size()
            + tenants.size());
    assertThat(metricsEndingWith("fleetpulse.window_emission_delay_seconds"))
        .allSatisfy(h -> assertThat(((Histogram) h).getStatistics().getQuantile(0.5)).isPositive());
  }

  static void assertRelative(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, offset(Math.abs(expected) * 1e-9 + 1e-12));
  }
}
