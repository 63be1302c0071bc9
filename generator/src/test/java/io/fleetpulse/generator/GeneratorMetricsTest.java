package io.fleetpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generator's /metrics, read over HTTP while it runs and after: what Prometheus scrapes. */
class GeneratorMetricsTest {

  static final Instant START = Instant.parse("2026-11-25T06:00:00Z");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The samples of an exposition, by name with labels: "fleetpulse_generator_samples_total{shard=\"1/2\"}". */
  static Map<String, Double> parse(String text) {
    Map<String, Double> values = new HashMap<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("#") || line.isBlank()) continue;
      int space = line.lastIndexOf(' ');
      values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return values;
  }

  @Test
  void reportsRateAndProgressWhileTheGeneratorRunsAndAfter() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "6400")));
    Shard shard = new Shard(1, 2);
    List<Map<String, Double>> atProgress = new ArrayList<>();
    try (GeneratorMetrics metrics = GeneratorMetrics.start("127.0.0.1", 0, shard.toString(), "run-1")) {
      FleetGeneratorTest.CollectingSink sink = new FleetGeneratorTest.CollectingSink(model) {
        @Override
        public void progress(long completeUntilMs, boolean endOfRun) {
          super.progress(completeUntilMs, endOfRun);
          HttpResponse<String> r = get(metrics.url());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.headers().firstValue("Content-Type")).hasValue(GeneratorMetrics.CONTENT_TYPE);
          atProgress.add(parse(r.body()));
        }
      };
      // Before a generator is watched: only what the process is.
      assertThat(parse(get(metrics.url()).body()))
          .containsOnlyKeys("fleetpulse_generator_info{shard=\"1/2\",run_id=\"run-1\"}");
      FleetGenerator generator = new FleetGenerator(model, new RunPlan(shard, START, Duration.ofMinutes(1),
          Speedup.MAX), sink, s -> {});
      metrics.watch(generator);
      GeneratorStats stats = generator.run();

      String l = "{shard=\"1/2\"}";
      // Marker i goes out after tick i - 1: the endpoint then shows the ticks before it, whole.
      assertThat(atProgress).hasSize(7);
      for (int i = 1; i < atProgress.size(); i++) {
        Map<String, Double> seen = atProgress.get(i);
        assertThat(seen.get("fleetpulse_generator_ticks_total" + l)).isEqualTo(i - 1);
        assertThat(seen.get("fleetpulse_generator_samples_total" + l))
            .isBetween((double) sink.progressAt.get(i - 1), (double) sink.progressAt.get(i));
        assertThat(seen.get("fleetpulse_generator_running" + l)).isEqualTo(1);
        if (i > 1) {
          assertThat(seen.get("fleetpulse_generator_event_time_seconds" + l))
              .isEqualTo(sink.progress.get(i - 1)[0] / 1000.0);
        }
      }
      Map<String, Double> after = parse(get(metrics.url()).body());
      assertThat(after.get("fleetpulse_generator_samples_total" + l)).isEqualTo(stats.samples())
          .isEqualTo(sink.records.size());
      assertThat(after.get("fleetpulse_generator_ticks_total" + l)).isEqualTo(6);
      assertThat(after.get("fleetpulse_generator_event_time_seconds" + l))
          .isEqualTo(START.plusSeconds(60).getEpochSecond());
      assertThat(after.get("fleetpulse_generator_running" + l)).isZero();
      assertThat(after.get("fleetpulse_generator_shard_chips" + l)).isEqualTo(3200);
      assertThat(after.get("fleetpulse_generator_behind_schedule_seconds" + l)).isZero();
      // Unpaced: no scheduled rate to report.
      assertThat(after).doesNotContainKey("fleetpulse_generator_scheduled_samples_per_second" + l);
      assertThat(get(metrics.url().replace("/metrics", "/")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPacedRunReportsTheRateItsPlanAsksFor() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "640")));
    try (GeneratorMetrics metrics = GeneratorMetrics.start("127.0.0.1", 0, "0/1", "run-2")) {
      FleetGenerator generator = new FleetGenerator(model, new RunPlan(Shard.WHOLE, START, Duration.ofSeconds(20),
          new Speedup(100)), new FleetGeneratorTest.CollectingSink(model), s -> {});
      metrics.watch(generator);
      generator.run();
      // 640 chips every 10 s, 100 times faster than real time.
      assertThat(parse(get(metrics.url()).body()))
          .containsEntry("fleetpulse_generator_scheduled_samples_per_second{shard=\"0/1\"}", 6400.0);
    }
  }

  /** Two shards on one machine asking for the same port: the second serves on another, neither fails. */
  @Test
  void aShardWhosePreferredPortIsTakenServesOnAnother() {
    try (GeneratorMetrics first = GeneratorMetrics.start("127.0.0.1", 0, "0/2", "run-3");
        GeneratorMetrics second = GeneratorMetrics.startOnPreferredOrFree("127.0.0.1", first.port(), "1/2", "run-3")) {
      assertThat(second.port()).isNotEqualTo(first.port()).isPositive();
      assertThat(get(second.url()).statusCode()).isEqualTo(200);
      assertThat(get(second.url()).body()).contains("shard=\"1/2\"");
    }
  }

  @Test
  void formatsValuesAsTheTextFormatReadsThem() {
    assertThat(GeneratorMetrics.format(3)).isEqualTo("3");
    assertThat(GeneratorMetrics.format(0.25)).isEqualTo("0.25");
    assertThat(GeneratorMetrics.format(Double.NaN)).isEqualTo("NaN");
    assertThat(GeneratorMetrics.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GeneratorMetrics.escape("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
  }
}
