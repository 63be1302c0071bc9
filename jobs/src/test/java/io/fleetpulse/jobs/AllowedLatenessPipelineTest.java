package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.generator.ChipSampleWriter;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.DeadLetterReason;
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
 * With {@code --allowed-lateness 30s}: samples that come after the progress marker which passed their window, but
 * within 30 s of its end, count in their UltraServer window, its fleet window and their hour, each once; samples
 * later than that are LATE dead letters and count nowhere. Every window is written once, final.
 *
 * <p>Before, a window went out at its end and again with each straggler: two rows for one UltraServer minute, the
 * straggler missing from the fleet's window (its roll-up had fired) and the window counted twice in the hour. Oracle:
 * the samples this test feeds, from the generator's pure sample function, less the ones it makes too late. One slot,
 * so the order of records is the list's.
 */
class AllowedLatenessPipelineTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  static final Instant START = Instant.parse("2026-11-25T14:00:00Z");
  static final int CHIPS = 256; // 4 UltraServers
  static final int TICKS = 30; // 5 minutes of 10 s samples
  static final Duration LATENESS = Duration.ofSeconds(30);

  @Test
  void stragglersWithinTheLatenessCountOnceEverywhereAndLaterOnesAreDeadLetters() throws Exception {
    FleetConfig config = FleetConfigLoader.load(null, Map.of("fleet.chips", Integer.toString(CHIPS)));
    FleetModel model = new FleetModel(config);
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    long first = model.tickOf(START.toEpochMilli());
    long interval = model.intervalMs();

    // Per tick: its samples, written before its marker, and the stragglers held back until after it.
    Map<Long, List<byte[]>> own = new TreeMap<>();
    Map<Long, List<byte[]>> stragglers = new TreeMap<>();
    Map<Long, Long> expected = new TreeMap<>(); // samples per window start
    Map<Integer, Long> expectedPerUltraServer = new TreeMap<>();
    long tooLate = 0;
    Sample s = new Sample();
    for (long tick = first; tick < first + TICKS; tick++) {
      boolean lastOfWindow = (tick - first) % 6 == 5 && tick + 4 < first + TICKS;
      for (int chip = 0; chip < CHIPS; chip++) {
        if (!model.sample(chip, tick, s)) continue;
        long windowStart = Math.floorDiv(s.eventTimeMs, 60_000L) * 60_000L;
        int us = s.ultraserver;
        long holdUntil = tick;
        if (lastOfWindow && us == 1) holdUntil = tick + 2; // in 20 s after the window's end: within the lateness
        if (lastOfWindow && us == 2) holdUntil = tick + 4; // 40 s after: too late
        (holdUntil == tick ? own : stragglers).computeIfAbsent(holdUntil, k -> new ArrayList<>()).add(writer.encode(s));
        if (holdUntil == tick + 4) {
          tooLate++;
        } else {
          expected.merge(windowStart, 1L, Long::sum);
          expectedPerUltraServer.merge(us, 1L, Long::sum);
        }
      }
    }
    List<byte[]> records = new ArrayList<>();
    for (long tick = first; tick < first + TICKS; tick++) {
      records.addAll(own.getOrDefault(tick, List.of()));
      records.add(InMemorySources.marker("allowed-lateness", START, (tick + 1) * interval));
      records.addAll(stragglers.getOrDefault(tick, List.of())); // behind the watermark the marker moved

    }
    assertThat(tooLate).as("the test makes late samples").isPositive();

    MetricFactors factors = MetricFactors.from(config);
    DataGeneratorSource<TelemetryRecord> telemetry = InMemorySources.telemetry(config, factors, records);

    CollectingSink<WindowMetrics> ultraservers = new CollectingSink<>();
    CollectingSink<WindowMetrics> fleet = new CollectingSink<>();
    CollectingSink<WindowMetrics> ultraserverHours = new CollectingSink<>();
    CollectingSink<WindowMetrics> fleetHours = new CollectingSink<>();
    CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    new MetricsPipeline(telemetry, MetricsPipeline.Sinks.none()
        .windowTable(AggregationLevel.ULTRASERVER, ultraservers)
        .windowTopic(AggregationLevel.FLEET, fleet)
        .hourTable(AggregationLevel.ULTRASERVER, ultraserverHours)
        .hourTable(AggregationLevel.FLEET, fleetHours)
        .deadLetters(deadLetters),
        new MetricsPipeline.Settings(Duration.ofMinutes(1), Duration.ofSeconds(10), LATENESS, Duration.ofMinutes(1),
            factors))
        .build(env);
    env.execute("allowed-lateness-test");

    // One row per UltraServer and minute, with its stragglers in it.
    assertThat(ultraservers.results().stream()
        .collect(Collectors.groupingBy(m -> m.getUltraserverId() + "@" + m.getWindowStart(), Collectors.counting())))
        .as("rows per UltraServer window").hasSize(4 * 5).allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
    Map<Integer, Long> perUltraServer = ultraservers.results().stream().collect(Collectors.toMap(
        WindowMetrics::getUltraserverId, WindowMetrics::getSamples, Long::sum, TreeMap::new));
    assertThat(perUltraServer).isEqualTo(expectedPerUltraServer);
    // The fleet's windows hold them too, and the hours hold each window once.
    Map<Long, Long> perFleetWindow = fleet.results().stream().collect(Collectors.toMap(
        m -> m.getWindowStart().toEpochMilli(), WindowMetrics::getSamples, Long::sum, TreeMap::new));
    assertThat(perFleetWindow).as("samples per fleet window").isEqualTo(expected);
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    assertThat(fleetHours.results()).singleElement().extracting(WindowMetrics::getSamples).isEqualTo(total);
    assertThat(ultraserverHours.results()).hasSize(4)
        .allSatisfy(h -> assertThat(h.getSamples()).isEqualTo(expectedPerUltraServer.get(h.getUltraserverId())));
    assertThat(deadLetters.results()).filteredOn(d -> d.reason == DeadLetterReason.LATE).hasSize((int) tooLate);
  }
}
