package io.fleetpulse.jobs.alerts;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.window.ChipWindowStats;
import io.fleetpulse.jobs.window.ChipWindowStatsFactory;
import io.fleetpulse.jobs.window.UltraServerAccumulator;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.schema.WorkloadKind;
import java.util.function.IntFunction;

/** UltraServer windows built the way the pipeline builds them: readings into an accumulator, then stats. */
final class AlertFixtures {

  static final long T0 = 1_795_615_200_000L; // 2026-11-25T14:00:00Z
  static final long MINUTE = 60_000;
  static final MetricFactors FACTORS = MetricFactors.from(FleetConfigLoader.defaults());

  /**
   * What one chip reports in a window: 6 samples, 10 s apart. Power wanders by up to 3 W around {@code powerW}, as
   * measured power does, and is clipped at {@code capW} when that is set.
   */
  record Chip(int id, double utilization, double powerW, double hbmGib, long eccCorrected, long eccUncorrected,
      double capW) {
    Chip(int id, double utilization, double powerW, double hbmGib, long eccCorrected, long eccUncorrected) {
      this(id, utilization, powerW, hbmGib, eccCorrected, eccUncorrected, Double.MAX_VALUE);
    }

    static Chip busy(int id) {
      return new Chip(id, 0.88, 458, 84, 0, 0);
    }

    double power(int sample) {
      return Math.min(capW, powerW + ((sample * 7 + id) % 5 - 2) * 1.5);
    }
  }

  static ChipWindowStats window(int us, int workload, WorkloadKind kind, int windowIndex, Chip... chips) {
    UltraServerAccumulator acc = new UltraServerAccumulator();
    long start = T0 + windowIndex * MINUTE;
    for (int k = 0; k < 6; k++) {
      for (Chip c : chips) {
        ChipReading r = new ChipReading();
        r.chipId = c.id();
        r.instanceId = c.id() / 16;
        r.ultraserverId = us;
        r.site = "us-in";
        r.generation = "trn2";
        r.workloadId = workload;
        r.workloadKind = kind.ordinal();
        r.eventTime = start + k * 10_000L;
        r.intervalMs = 10_000;
        r.utilization = c.utilization();
        r.powerW = c.power(k);
        r.hbmUsedGib = c.hbmGib();
        r.renewableShare = 0.25;
        r.eccCorrectedTotal = c.eccCorrected();
        r.eccUncorrectedTotal = c.eccUncorrected();
        acc.add(r);
      }
    }
    return ChipWindowStatsFactory.of(acc, start, start + MINUTE, FACTORS);
  }

  static Chip[] chips(int from, int count, IntFunction<Chip> chip) {
    Chip[] out = new Chip[count];
    for (int i = 0; i < count; i++) out[i] = chip.apply(from + i);
    return out;
  }

  private AlertFixtures() {}
}
