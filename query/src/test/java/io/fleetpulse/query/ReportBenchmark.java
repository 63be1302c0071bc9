package io.fleetpulse.query;

import io.fleetpulse.jobs.sink.HivePartitionAssigner;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Placement;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;

/**
 * Times every canned report over a day of the default 1M-chip fleet at UltraServer level: 15,625 UltraServers x
 * 1,440 one-minute windows = 22.5M rows, written with the job's Parquet writer (one file per UTC hour and writer
 * thread), plus an alerts table with a straggler alert per straggler chip and a reserved-idle alert per reserved
 * UltraServer. Values follow the fleet model's placements, day curves, checkpoints and renewable shares. The KLL
 * sketch column, which no report reads, is empty unless bench.sketchBytes gives it that many random bytes per row
 * (a demo lake at 10 s samples averages 1,172): it changes file size and row-group count, not what is read. Prints
 * rows, bytes and the time of each report; asserts nothing about speed.
 *
 * <pre>
 * ./mvnw -q -pl query -am verify -Dtest=ReportBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.dir=/tmp/fleetpulse-bench [-Dbench.ultraservers=15625] [-Dbench.runs=3] [-Dbench.sketchBytes=0]
 * </pre>
 * The lake is kept in bench.dir and reused by later runs with the same size.
 */
class ReportBenchmark {

  static final Instant DAY = Instant.parse("2026-11-25T00:00:00Z");

  @Test
  void timeEveryReport() throws Exception {
    Path root = Path.of(System.getProperty("bench.dir", "/tmp/fleetpulse-bench"));
    int ultraservers = Integer.getInteger("bench.ultraservers", 15_625);
    int runs = Integer.getInteger("bench.runs", 3);
    int sketchBytes = Integer.getInteger("bench.sketchBytes", 0);
    Path data = root.resolve("data-" + ultraservers + (sketchBytes > 0 ? "-sketch" + sketchBytes : ""));
    FleetModel model = new FleetModel(FleetConfigLoader.load(null,
        Map.of("fleet.chips", Integer.toString(ultraservers * 64))));
    if (!Files.exists(data.resolve("_complete"))) {
      PipelineLake.deleteQuietly(data);
      long t0 = System.nanoTime();
      long rows = writeWindows(model, data, sketchBytes);
      int alerts = writeAlerts(model, data);
      Files.writeString(data.resolve("_complete"), "");
      System.out.printf("bench: wrote %,d window rows and %,d alert updates in %.0f s%n", rows, alerts,
          (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf("bench: %s: %,d bytes in %,d Parquet files%n", data, bytes(data), files(data));
    System.out.printf("bench: machine: %d cores, DuckDB threads %d, memory limit %s%n",
        Runtime.getRuntime().availableProcessors(), QueryLimits.ENDPOINT_THREADS, QueryLimits.ENDPOINT_MEMORY);
    try (LakeSql sql = LakeSql.open(data, QueryLimits.endpoint().withMaxRows(null).withTimeout(null))) {
      CollectedRows count = CollectedRows.query(sql, "SELECT count(*) AS n FROM ultraserver_window");
      System.out.printf("bench: ultraserver_window holds %,d rows%n", ((Number) count.rows.get(0).get("n")).longValue());
      for (Report report : Reports.all()) {
        long[] ms = new long[runs];
        long rows = 0;
        long first = 0;
        for (int i = -1; i < runs; i++) {
          long t = System.nanoTime();
          rows = sql.report(report.name(), new CollectedRows()).rows();
          long elapsed = (System.nanoTime() - t) / 1_000_000;
          if (i < 0) first = elapsed; else ms[i] = elapsed;
        }
        Arrays.sort(ms);
        System.out.printf("bench: %-26s %6d rows  first %6d ms  then median %6d ms (min %d, max %d, %d runs)%n",
            report.name(), rows, first, ms[runs / 2], ms[0], ms[runs - 1], runs);
      }
    }
  }

  /** Windows in 24 hourly partitions, two writer threads. */
  static long writeWindows(FleetModel model, Path data, int sketchBytes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Long>> parts = new ArrayList<>();
    for (int hour = 0; hour < 24; hour++) {
      for (int half = 0; half < 2; half++) {
        int h = hour;
        int from = half == 0 ? 0 : model.layout().ultraservers() / 2;
        int to = half == 0 ? model.layout().ultraservers() / 2 : model.layout().ultraservers();
        parts.add(pool.submit(() -> writeHour(model, data, h, from, to, sketchBytes)));
      }
    }
    long rows = 0;
    for (Future<Long> f : parts) rows += f.get();
    pool.shutdown();
    return rows;
  }

  static long writeHour(FleetModel model, Path data, int hour, int fromUs, int toUs, int sketchBytes)
      throws IOException {
    SplittableRandom random = new SplittableRandom(hour * 100_000L + fromUs);
    FleetLayout layout = model.layout();
    FleetConfig.Workloads w = model.config().workloads();
    long hourStart = DAY.toEpochMilli() + hour * 3_600_000L;
    Path file = data.resolve(Tables.ULTRASERVER_WINDOW).resolve(HivePartitionAssigner.partitionOf(hourStart))
        .resolve("part-bench-" + fromUs + ".parquet");
    long rows = 0;
    try (ParquetWriter<WindowMetrics> out = LakeWriter.writer(file, WindowMetrics.class)) {
      for (int minute = 0; minute < 60; minute++) {
        long t = hourStart + minute * 60_000L;
        Instant start = Instant.ofEpochMilli(t);
        for (int us = fromUs; us < toUs; us++) {
          Placement p = layout.placement(us);
          if (p == Placement.MAINTENANCE) continue;
          int site = layout.siteIndex(us);
          double noise = ((us * 2654435761L + minute * 40503L) % 1000) / 1000.0 * 0.04 - 0.02;
          double u = switch (p) {
            case TRAINING -> model.inCheckpoint(layout.workload(us), t) ? w.checkpointUtilization()
                : w.trainingUtilization() + noise;
            case INFERENCE -> model.inferenceLoad(site, t) + noise;
            case FLEX -> {
              double local = model.localHour(site, t);
              yield local >= w.flexDayStartHour() && local < w.flexDayEndHour() ? model.inferenceLoad(site, t) + noise
                  : w.trainingUtilization() + noise;
            }
            default -> w.idleUtilization();
          };
          u = Math.max(0, Math.min(1, u));
          int samples = 384;
          double power = samples * (150 + 350 * u);
          int idle = u < 0.05 ? samples : 0;
          WindowMetrics row = WindowRecords.of(new WindowRecords.Input(us, layout.siteId(us),
              layout.generationId(us), start, samples, samples * u, power, idle, idle * (150 + 350 * u),
              model.renewableShare(site, Math.floorDiv(t, 3_600_000L))));
          if (sketchBytes > 0) {
            byte[] sketch = new byte[sketchBytes];
            random.nextBytes(sketch);
            row.setUtilizationSketch(ByteBuffer.wrap(sketch));
          }
          out.write(row);
          rows++;
        }
      }
    }
    return rows;
  }

  /** A straggler alert per straggler chip on a training placement, a reserved-idle alert per reserved UltraServer. */
  static int writeAlerts(FleetModel model, Path data) {
    FleetLayout layout = model.layout();
    Instant end = DAY.plusSeconds(86_400);
    List<Alert> alerts = new ArrayList<>();
    for (int us = 0; us < layout.ultraservers(); us++) {
      Placement p = layout.placement(us);
      String site = layout.siteId(us);
      if (p == Placement.RESERVED_IDLE) {
        String id = "RESERVED_IDLE/us-" + us + "/" + DAY.toEpochMilli();
        alerts.add(AlertRecords.update(id, AlertKind.RESERVED_IDLE, AlertStatus.OPEN, DAY, DAY.plusSeconds(900),
            site, us, List.of(), 1.2, 8.9, 0.4));
        alerts.add(AlertRecords.update(id, AlertKind.RESERVED_IDLE, AlertStatus.RESOLVED, DAY, end, site, us,
            List.of(), 115, 858, 40));
      }
      if (p != Placement.TRAINING && p != Placement.FLEX) continue;
      for (int chip = us * 64; chip < us * 64 + 64; chip++) {
        if (!model.isStraggler(chip)) continue;
        String id = "STRAGGLER/chip-" + chip + "/" + DAY.toEpochMilli();
        Instant start = DAY.plusSeconds(60L * (chip % 600));
        double usd = 2.235 * 24 * 0.35 * (1 + (chip % 7) / 10.0);
        alerts.add(AlertRecords.update(id, AlertKind.STRAGGLER, AlertStatus.OPEN, start, start.plusSeconds(600),
            site, us, List.of(chip), 0.1, usd / 100, 0.04));
        alerts.add(AlertRecords.update(id, AlertKind.STRAGGLER, AlertStatus.RESOLVED, start, end, site, us,
            List.of(chip), 4.2, usd, 1.7));
      }
    }
    AlertRecords.write(data, alerts);
    return alerts.size();
  }

  static long bytes(Path data) throws IOException {
    try (Stream<Path> f = Files.walk(data)) {
      return f.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static long files(Path data) throws IOException {
    try (Stream<Path> f = Files.walk(data)) {
      return f.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }
}
