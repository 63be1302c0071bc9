package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.generator.ChipSampleWriter;
import io.fleetpulse.jobs.carbon.GridInput;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Windows that wait for their hour's grid figures still count in the roll-ups. The grid feed here has figures only
 * for the next hour, so every UltraServer window of the run waits and then falls back to the annual factors once
 * the watermark passes its end plus the wait; the telemetry carries a progress marker after every tick, so that
 * watermark comes in the middle of the run, not only at the end of input.
 *
 * <p>Before the grid join held its watermark one short of a waiting window, it held it at the window's own
 * timestamp: a watermark that fires the fleet's window for that minute, which then closed without the waiting
 * windows and dropped them as late when they came (the lost quarter of a window GenerateThenJobIT met in CI).
 * Oracle: the generator's pure sample function, per fleet window. One slot, so the order of records is the list's.
 */
class WaitingForGridPipelineTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  static final Instant START = Instant.parse("2026-11-25T14:00:00Z");
  static final int CHIPS = 256;
  static final int TICKS = 30; // 5 minutes of 10 s samples

  @Test
  void everyWindowThatWaitedForItsHourCountsInTheFleetWindow() throws Exception {
    FleetConfig config = FleetConfigLoader.load(null, Map.of("fleet.chips", Integer.toString(CHIPS)));
    FleetModel model = new FleetModel(config);
    long startTick = model.tickOf(START.toEpochMilli());
    Map<Long, Long> expectedSamples = new TreeMap<>();
    WindowOracle.compute(model, 0, CHIPS, startTick, startTick + TICKS, 60_000)
        .forEach((k, e) -> expectedSamples.merge(k.windowStart(), e.samples, Long::sum));

    List<byte[]> records = new ArrayList<>();
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    for (long tick = startTick; tick < startTick + TICKS; tick++) {
      for (int chip = 0; chip < CHIPS; chip++) {
        if (model.sample(chip, tick, s)) records.add(writer.encode(s));
      }
      records.add(InMemorySources.marker("waiting-for-grid", START, (tick + 1) * model.intervalMs()));
    }
    MetricFactors factors = MetricFactors.from(config);
    DataGeneratorSource<TelemetryRecord> telemetry = InMemorySources.telemetry(config, factors, records);

    List<byte[]> gridRecords = new ArrayList<>();
    for (int site = 0; site < config.sites().size(); site++) {
      gridRecords.add(MetricsPipelineTest.gridRecord(model.gridHour(site, START.toEpochMilli() + 3_600_000L)));
    }
    DataGeneratorSource<GridInput> grid = InMemorySources.grid(factors, gridRecords);

    CollectingSink<WindowMetrics> ultraserverSink = new CollectingSink<>();
    CollectingSink<WindowMetrics> fleetSink = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    new MetricsPipeline(telemetry, MetricsPipeline.Sinks.none()
        .windowTable(AggregationLevel.ULTRASERVER, ultraserverSink)
        .windowTopic(AggregationLevel.FLEET, fleetSink),
        new MetricsPipeline.Settings(Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ZERO,
            Duration.ofMinutes(1), factors))
        .withGridIntensity(grid, Duration.ofSeconds(20))
        .build(env);
    env.execute("waiting-for-grid-test");

    // The windows did wait and fall back: the case under test happened.
    assertThat(ultraserverSink.results()).isNotEmpty()
        .allSatisfy(m -> assertThat(m.getFactorsUsed()).contains("annual grid factors as fallback"));
    Map<Long, Long> fleetSamples = fleetSink.results().stream().collect(Collectors.toMap(
        m -> m.getWindowStart().toEpochMilli(), WindowMetrics::getSamples, Long::sum, TreeMap::new));
    assertThat(fleetSamples).as("samples per fleet window").isEqualTo(expectedSamples).hasSize(5);
  }
}
