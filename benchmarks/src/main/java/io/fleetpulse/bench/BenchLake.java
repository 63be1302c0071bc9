package io.fleetpulse.bench;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.metrics.ReadingSums;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * A synthetic lake of the shape the pipeline keeps with retention, built from the fleet model: the minute tables
 * ({@code *_window}) for the last {@code minuteDays} days, {@code *_hour} of every level over all days, {@code *_day}
 * over all days, and {@code alerts}. No raw archive ({@code chip_telemetry}): at 1M chips and 10 s samples it is
 * 8.6 billion rows a day, and no report reads it.
 *
 * <p>The grains agree as the job's roll-ups make them agree: an UltraServer's hour row is priced from the sum of its
 * 60 minutes' readings (equal to the sum of its minute rows up to rounding), a group's minute or hour row is the sum
 * of its UltraServers' rows, a day row the sum of its group's 24 hour rows. Files are laid out as compaction leaves
 * them: one file per table and hour partition (each hour is built by one task), one per day partition.
 */
final class BenchLake {

  /** The first UTC day of every bench lake: a fixed week, so that a lake built once is found again. */
  static final Instant FIRST_DAY = Instant.parse("2026-11-18T00:00:00Z");
  static final String MARKER = "_complete";
  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 24 * HOUR_MS;

  static final Map<AggregationLevel, String> MINUTE_TABLES = tables(Tables.ULTRASERVER_WINDOW, Tables.SITE_WINDOW,
      Tables.GENERATION_WINDOW, Tables.FLEET_WINDOW, Tables.WORKLOAD_WINDOW, Tables.TENANT_WINDOW);
  static final Map<AggregationLevel, String> HOUR_TABLES = tables(Tables.ULTRASERVER_HOUR, Tables.SITE_HOUR,
      Tables.GENERATION_HOUR, Tables.FLEET_HOUR, Tables.WORKLOAD_HOUR, Tables.TENANT_HOUR);
  static final Map<AggregationLevel, String> DAY_TABLES = tables(null, Tables.SITE_DAY, Tables.GENERATION_DAY,
      Tables.FLEET_DAY, Tables.WORKLOAD_DAY, Tables.TENANT_DAY);

  private static Map<AggregationLevel, String> tables(String... byLevel) {
    Map<AggregationLevel, String> m = new EnumMap<>(AggregationLevel.class);
    AggregationLevel[] levels = {AggregationLevel.ULTRASERVER, AggregationLevel.SITE, AggregationLevel.GENERATION,
        AggregationLevel.FLEET, AggregationLevel.WORKLOAD, AggregationLevel.TENANT};
    for (int i = 0; i < levels.length; i++) if (byLevel[i] != null) m.put(levels[i], byLevel[i]);
    return m;
  }

  /** What a lake is built from; {@link #describe} is kept in the marker, so a lake is reused for the same shape. */
  record Shape(FleetModel model, int days, int minuteDays, int sketchBytes, String fleetSource) {

    String describe() {
      return String.format(java.util.Locale.ROOT,
          "chips=%d interval=%s seed=%d fleet=%s days=%d minute-days=%d sketch-bytes=%d first-day=%s",
          model.config().fleet().chips(), model.config().fleet().interval(), model.config().fleet().seed(),
          fleetSource, days, minuteDays, sketchBytes, FIRST_DAY);
    }

    /** The lake's folder under the bench folder: one per size, so a test shape leaves the big lake alone. */
    String folderName() {
      return "lake-" + model.config().fleet().chips() + "c-" + days + "d-" + minuteDays + "m"
          + (sketchBytes > 0 ? "-sketch" + sketchBytes : "");
    }

    long firstMinuteHour() {
      return (long) (days - minuteDays) * 24;
    }
  }

  private final Shape shape;
  private final FleetModel model;
  private final FleetLayout layout;
  private final Path lake;
  private final double gpuUsdPerPflop;
  private final ThreadLocal<ModelledMinutes> minutes;
  private final AtomicLong rows = new AtomicLong();

  BenchLake(Shape shape, Path lake) {
    this.shape = shape;
    this.model = shape.model();
    this.layout = model.layout();
    this.lake = lake;
    this.gpuUsdPerPflop = model.config().gpuBaseline().usdPerPflop();
    this.minutes = ThreadLocal.withInitial(() -> new ModelledMinutes(model));
  }

  /** True when the folder holds a complete lake of this shape. */
  static boolean isBuilt(Path lake, Shape shape) throws IOException {
    Path marker = lake.resolve(MARKER);
    return Files.exists(marker) && Files.readString(marker).strip().equals(shape.describe());
  }

  /** Builds the lake into its (emptied) folder, printing progress; returns the rows written. */
  long build(int threads, PrintWriter out) throws Exception {
    io.fleetpulse.platform.LocalMachine.deleteQuietly(lake);
    Files.createDirectories(lake);
    long t0 = System.nanoTime();
    int hours = shape.days() * 24;
    GroupSums[] hourGroups = new GroupSums[hours];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
      // The hours with minute tables first: they are most of the work (at 1M chips about 15 times an hour without),
      // so the progress lines below tell early how long the rest takes.
      int minuteHours = hours - (int) shape.firstMinuteHour();
      for (int i = 0; i < hours; i++) {
        int hour = (int) ((shape.firstMinuteHour() + i) % hours);
        done.submit(() -> {
          hourGroups[hour] = hour(hour);
          return hour;
        });
      }
      int withMinutes = 0;
      for (int i = 1; i <= hours; i++) {
        if (done.take().get() >= shape.firstMinuteHour()) withMinutes++;
        if (i == hours || i % Math.max(1, hours / 24) == 0) {
          out.printf("bench lake: building: %d/%d hours (%d/%d with minute tables), %,d rows, %.0f s%n", i, hours,
              withMinutes, minuteHours, rows.get(), (System.nanoTime() - t0) / 1e9);
          out.flush();
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    } finally {
      pool.shutdownNow();
    }
    int alerts = 0;
    for (int d = 0; d < shape.days(); d++) {
      long dayStart = FIRST_DAY.toEpochMilli() + d * DAY_MS;
      GroupSums day = new GroupSums(layout);
      for (int h = d * 24; h < d * 24 + 24; h++) day.add(hourGroups[h]);
      write(day.rows(dayStart, dayStart + DAY_MS, gpuUsdPerPflop), DAY_TABLES, dayStart, true);
      alerts += BenchAlerts.writeDay(model, lake, dayStart);
    }
    Files.writeString(lake.resolve(MARKER), shape.describe() + "\n");
    out.printf("bench lake: built in %.0f s: %,d window rows and %,d alert updates%n", (System.nanoTime() - t0) / 1e9,
        rows.get(), alerts);
    out.flush();
    return rows.get() + alerts;
  }

  /**
   * One UTC hour of every table but the daily ones: the UltraServers' minutes (written only in the minute days),
   * their hours, and each level's minute and hour roll-ups. Returns the hour's roll-ups, for the day rows.
   */
  private GroupSums hour(int hourIndex) throws IOException {
    long hourStart = FIRST_DAY.toEpochMilli() + hourIndex * HOUR_MS;
    boolean minuteRows = hourIndex >= shape.firstMinuteHour();
    ModelledMinutes mm = minutes.get();
    SplittableRandom random = new SplittableRandom(hourIndex);
    int ultraservers = layout.ultraservers();
    ReadingSums[] hourly = new ReadingSums[ultraservers];
    int[] minutesOf = new int[ultraservers];
    for (int us = 0; us < ultraservers; us++) hourly[us] = new ReadingSums();
    Map<AggregationLevel, List<WindowMetrics>> minuteGroups = new EnumMap<>(AggregationLevel.class);
    ParquetWriter<WindowMetrics> usMinutes = minuteRows
        ? LakeFiles.writer(LakeFiles.file(lake, Tables.ULTRASERVER_WINDOW, hourStart, false, "part-bench-0"),
            WindowMetrics.class)
        : null;
    try {
      for (int minute = 0; minute < 60; minute++) {
        long t = hourStart + minute * 60_000L;
        mm.at(t);
        GroupSums groups = minuteRows ? new GroupSums(layout) : null;
        for (int us = 0; us < ultraservers; us++) {
          if (!mm.add(us, hourly[us])) continue;
          minutesOf[us]++;
          if (!minuteRows) continue;
          ReadingSums one = new ReadingSums();
          mm.add(us, one);
          MetricSums s = mm.sums(us, one, 1);
          groups.add(us, s);
          usMinutes.write(ultraserverRow(s, us, t, t + 60_000L, random));
          rows.incrementAndGet();
        }
        if (minuteRows) {
          groups.rows(t, t + 60_000L, gpuUsdPerPflop)
              .forEach((level, r) -> minuteGroups.computeIfAbsent(level, l -> new ArrayList<>()).addAll(r));
        }
      }
    } finally {
      if (usMinutes != null) usMinutes.close();
    }
    GroupSums hourGroups = new GroupSums(layout);
    List<WindowMetrics> usHours = new ArrayList<>();
    for (int us = 0; us < ultraservers; us++) {
      if (minutesOf[us] == 0) continue;
      MetricSums s = mm.sums(us, hourly[us], minutesOf[us]);
      hourGroups.add(us, s);
      usHours.add(ultraserverRow(s, us, hourStart, hourStart + HOUR_MS, random));
    }
    Map<AggregationLevel, List<WindowMetrics>> hourRows = hourGroups.rows(hourStart, hourStart + HOUR_MS,
        gpuUsdPerPflop);
    hourRows.put(AggregationLevel.ULTRASERVER, usHours);
    write(hourRows, HOUR_TABLES, hourStart, false);
    write(minuteGroups, MINUTE_TABLES, hourStart, false);
    return hourGroups;
  }

  private WindowMetrics ultraserverRow(MetricSums s, int us, long start, long end, SplittableRandom random) {
    if (shape.sketchBytes() > 0) {
      // Filler of the size a 10 s fleet's KLL sketches have: it changes file sizes, not what reports read.
      s.utilizationSketch = new byte[shape.sketchBytes()];
      random.nextBytes(s.utilizationSketch);
    }
    WindowMetrics m = s.toWindowMetrics(AggregationLevel.ULTRASERVER, start, end, us, layout.siteId(us),
        layout.generationId(us), gpuUsdPerPflop);
    m.setWorkload(GroupSums.workloadName(layout, layout.workload(us)));
    m.setTenant(GroupSums.tenantName(layout, layout.workload(us)));
    return m;
  }

  private void write(Map<AggregationLevel, List<WindowMetrics>> byLevel, Map<AggregationLevel, String> tables,
      long partitionTime, boolean daily) {
    byLevel.forEach((level, r) -> {
      String table = tables.get(level);
      if (table == null) return;
      LakeFiles.writeAll(LakeFiles.file(lake, table, partitionTime, daily, "part-bench-0"), WindowMetrics.class, r);
      rows.addAndGet(r.size());
    });
  }
}
