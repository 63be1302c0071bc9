package io.fleetpulse.query;

import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small lakes written with the job's Parquet writer, whose every row the test knows. */
final class TestLakes {

  static final String[] SITES = {"us-in", "us-pa", "us-ms"};
  static final Instant START = Instant.parse("2026-11-25T22:00:00Z"); // four hours: crosses a UTC day

  private TestLakes() {}

  /**
   * 6 UltraServers (two per site; trn2, but UltraServer 5 is trn3) x 240 minutes from {@link #START}. Utilization
   * and power vary by UltraServer and minute; UltraServer 4 is idle all along (a reserved, unused one).
   */
  static List<WindowMetrics> windows() {
    List<WindowMetrics> out = new ArrayList<>();
    for (int us = 0; us < 6; us++) {
      for (int minute = 0; minute < 240; minute++) {
        int samples = 384; // 64 chips x 6 samples of 10 s
        double util = us == 4 ? 0.01 : 0.2 + 0.1 * us + 0.001 * (minute % 50);
        double power = samples * (150 + 350 * util);
        int idle = us == 4 ? samples : (minute % 30 == 0 ? 64 : 0);
        double idlePower = idle * (150 + 350 * 0.01);
        double renewable = 0.1 * (minute / 60) + 0.05 * (us % 3);
        out.add(WindowRecords.of(new WindowRecords.Input(us, SITES[us % 3], us == 5 ? "trn3" : "trn2",
            START.plusSeconds(60L * minute), samples, samples * util, power, idle, idlePower, renewable)));
      }
    }
    return out;
  }

  static List<WindowMetrics> writeWindows(Path data) {
    List<WindowMetrics> rows = windows();
    LakeWriter.write(data, Tables.ULTRASERVER_WINDOW, WindowMetrics.class, rows, r -> r.getWindowStart().toEpochMilli());
    return rows;
  }
}
