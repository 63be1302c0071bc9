package io.fleetpulse.query;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small lake with workloads and tenants whose every row the test knows: six UltraServers, one minute window at the
 * top of each UTC hour of 2026-11-25, each UltraServer a workload of its own (so its workload_window rows are its
 * UltraServer rows): a training job and an inference service of tenant acme, a reservation (idle) and a Trainium3
 * flex job of tenant beta, an unplaced idle UltraServer and one with labels the config does not know. us-in's grid
 * intensity changes hour by hour (all distinct), so moving work between its hours changes its carbon.
 */
final class TenantLake {

  static final Instant DAY = Instant.parse("2026-11-25T00:00:00Z");
  static final int SAMPLES = 384;

  /** One UltraServer of the lake and what it runs. */
  record Us(int id, String site, String generation, String workload, String tenant) {}

  static final List<Us> ULTRASERVERS = List.of(
      new Us(0, "us-in", "trn2", "train-00001", "acme"),
      new Us(1, "us-pa", "trn2", "serve-00002", "acme"),
      new Us(2, "us-ms", "trn2", "resv-00003", "beta"),
      new Us(3, "us-in", "trn2", "unplaced", "unplaced"),
      new Us(4, "us-pa", "trn2", "unknown", "unknown"),
      new Us(5, "us-in", "trn3", "flex-00005", "beta"));

  private TenantLake() {}

  /** us-in's hourly grid intensity, g/kWh: 24 distinct values (5 and 24 are coprime). */
  static double usInGrid(int hour) {
    return 300 + 7 * ((hour * 5) % 24);
  }

  /** Flex work trains at us-in's local night: Indianapolis is UTC-5 in November, flex_day is 08-20 local. */
  static boolean flexTrains(int utcHour) {
    int local = Math.floorMod(utcHour - 5, 24);
    return local < 8 || local >= 20;
  }

  static double utilization(Us us, int hour) {
    return switch (us.workload()) {
      case "train-00001" -> 0.8;
      case "serve-00002" -> 0.3 + 0.01 * hour;
      case "resv-00003", "unplaced" -> 0.01;
      case "unknown" -> 0.5;
      default -> (flexTrains(hour) ? 0.85 : 0.4) + 0.005 * hour; // flex: energy differs hour by hour
    };
  }

  static List<WindowMetrics> windows() {
    List<WindowMetrics> out = new ArrayList<>();
    for (Us us : ULTRASERVERS) {
      for (int hour = 0; hour < 24; hour++) {
        double u = utilization(us, hour);
        boolean trn3 = us.generation().equals("trn3");
        double powerPerSample = trn3 ? 405 + 945 * u : 150 + 350 * u;
        int idle = u < 0.05 ? SAMPLES : 0;
        double renewable = 0.1 + 0.03 * (hour % 7);
        WindowMetrics w = WindowRecords.of(new WindowRecords.Input(us.id(), us.site(), us.generation(),
            DAY.plusSeconds(3600L * hour), SAMPLES, SAMPLES * u, SAMPLES * powerPerSample, idle,
            idle * powerPerSample, renewable));
        WindowMetrics.Builder b = WindowMetrics.newBuilder(w).setWorkload(us.workload()).setTenant(us.tenant())
            .setIdleCostUsd(w.getCostUsd() * idle / SAMPLES);
        if (us.site().equals("us-in")) {
          double g = usInGrid(hour);
          double locationKg = w.getFacilityEnergyKwh() * g / 1000;
          double marketKg = w.getResidualFacilityEnergyKwh() * g / 1000;
          b.setGridFactorGPerKwh(g).setResidualFactorGPerKwh(g).setCarbonLocationKg(locationKg)
              .setCarbonMarketKg(marketKg);
        }
        out.add(b.build());
      }
    }
    return out;
  }

  /** Writes ultraserver_window and workload_window (each workload one UltraServer) under {@code data}. */
  static List<WindowMetrics> write(Path data) {
    List<WindowMetrics> rows = windows();
    LakeWriter.write(data, Tables.ULTRASERVER_WINDOW, WindowMetrics.class, rows, r -> r.getWindowStart().toEpochMilli());
    List<WindowMetrics> workloads = rows.stream().map(r -> WindowMetrics.newBuilder(r)
        .setLevel(AggregationLevel.WORKLOAD).setUltraserverId(null).setSite(null).setGeneration(null).build()).toList();
    LakeWriter.write(data, Tables.WORKLOAD_WINDOW, WindowMetrics.class, workloads,
        r -> r.getWindowStart().toEpochMilli());
    return rows;
  }
}
