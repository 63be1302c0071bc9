package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Injected faults show in the samples at their configured rates, found the way an operator would find them: from
 * the samples alone (gaps, counter jumps, chips behind their peers, power pinned at a cap), never by asking the
 * model. Rates are raised so a small fleet gives tight counts; tolerances are about three binomial deviations.
 */
class FaultRatesTest {

  @Test
  void stragglersLagTheirUltraServerPeersAtTheConfiguredShare() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400", "faults.straggler_share", "0.05"));
    FleetLayout layout = run.model.layout();
    double slowdown = run.model.config().faults().stragglerSlowdown();
    Map<Integer, int[]> behind = new HashMap<>(); // chip -> {ticks behind, ticks compared}
    long first = run.tickAt("2026-11-25T00:00:00Z");
    for (long tick = first; tick < first + 60; tick++) {
      Map<Integer, List<double[]>> byUs = new HashMap<>();
      run.walkAll(tick, 1, 1, (t, s) -> {
        if (layout.placement(s.ultraserver) == Placement.TRAINING) {
          byUs.computeIfAbsent(s.ultraserver, k -> new ArrayList<>()).add(new double[] {s.chip, s.utilization});
        }
      });
      byUs.values().forEach(chips -> {
        double median = chips.stream().mapToDouble(c -> c[1]).sorted().toArray()[chips.size() / 2];
        if (median < 0.5) return; // a checkpoint: everyone is paused
        for (double[] c : chips) {
          int[] b = behind.computeIfAbsent((int) c[0], k -> new int[2]);
          b[1]++;
          if (c[1] < median * (1 - slowdown / 2)) b[0]++;
        }
      });
    }
    long trainingChips = behind.size();
    long stragglers = behind.values().stream().filter(b -> b[0] > b[1] / 2).count();
    long sometimes = behind.values().stream().filter(b -> b[0] > 0 && b[0] <= b[1] / 2).count();
    assertThat(trainingChips).isGreaterThan(2500);
    assertThat((double) stragglers).isCloseTo(0.05 * trainingChips, offset(40.0));
    assertThat(sometimes).as("a straggler is persistent: behind always or never").isZero();
  }

  @Test
  void silentChipsMissExactlyTheirEpisodeAtTheConfiguredDailyShare() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400", "fleet.interval", "1m",
        "faults.silent_share", "0.05", "faults.silent_duration", "20m"));
    long dayStart = run.tickAt("2026-11-25T00:00:00Z");
    long first = dayStart - 60;
    long[] lastSeen = new long[6400];
    java.util.Arrays.fill(lastSeen, first - 1);
    List<long[]> gaps = new ArrayList<>(); // {chip, first missing tick, length}
    run.walkAll(first, 1440 + 120, 1, (tick, s) -> {
      if (tick > lastSeen[s.chip] + 1) gaps.add(new long[] {s.chip, lastSeen[s.chip] + 1, tick - lastSeen[s.chip] - 1});
      lastSeen[s.chip] = tick;
    });
    long reporting = java.util.Arrays.stream(lastSeen).filter(t -> t >= first).count();
    List<long[]> startingToday = gaps.stream()
        .filter(g -> g[1] > first && g[1] >= dayStart && g[1] < dayStart + 1440).toList();
    assertThat(startingToday).allSatisfy(g -> assertThat(g[2]).as("gap of chip %d", g[0]).isEqualTo(20));
    assertThat((double) startingToday.size()).isCloseTo(0.05 * reporting, offset(60.0));
  }

  @Test
  void eccBurstsAreCounterJumpsAtTheConfiguredRateAndCountersResetOnlyWhenTheDriverReloads() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "1280", "fleet.interval", "1m",
        "faults.ecc_burst_per_chip_day", "0.2", "faults.silent_share", "0"));
    FleetConfig.Faults f = run.model.config().faults();
    long[] lastCorrected = new long[1280];
    long[] lastUncorrected = new long[1280];
    java.util.Arrays.fill(lastCorrected, -1);
    int[] counts = new int[4]; // bursts, resets, uncorrected increments, odd jumps
    int days = 7;
    run.walkAll(run.tickAt("2026-11-20T00:00:00Z"), days * 1440L, 10, (tick, s) -> {
      long prev = lastCorrected[s.chip];
      if (prev >= 0) {
        long jump = s.eccCorrectedTotal - prev;
        if (jump < 0) {
          counts[1]++;
        } else if (jump >= f.eccBurstSize()) {
          counts[0]++;
          if (jump - f.eccBurstSize() > 1) counts[3]++; // a burst plus at most one background error in 10 minutes
          counts[2] += (int) (s.eccUncorrectedTotal - lastUncorrected[s.chip]);
        } else {
          assertThat(s.eccUncorrectedTotal).as("uncorrected errors come only with bursts")
              .isEqualTo(lastUncorrected[s.chip]);
        }
      }
      lastCorrected[s.chip] = s.eccCorrectedTotal;
      lastUncorrected[s.chip] = s.eccUncorrectedTotal;
    });
    long reporting = java.util.Arrays.stream(lastCorrected).filter(c -> c >= 0).count();
    double chipDays = reporting * (double) days;
    assertThat(counts[0] / chipDays).as("bursts per chip-day").isCloseTo(f.eccBurstPerChipDay(), offset(0.02));
    assertThat(counts[3]).isZero();
    assertThat((double) counts[2] / counts[0]).as("uncorrected per burst")
        .isCloseTo(f.eccUncorrectedPerBurst(), offset(0.03));
    // Every chip's driver reloads once in driver_reload_days (7): once in the week, give or take the edges.
    assertThat((double) counts[1]).isCloseTo(reporting * days / f.driverReloadDays(), offset(0.02 * reporting));
  }

  @Test
  void powerCappedUltraServersPinUtilizationAtTheirPowerBudgetAtTheConfiguredShare() {
    FleetRun run = new FleetRun(Map.ofEntries(Map.entry("fleet.chips", "40960"),
        Map.entry("workloads.training_share", "0.95"), Map.entry("workloads.inference_share", "0"),
        Map.entry("workloads.flex_share", "0"), Map.entry("workloads.reserved_idle_share", "0"),
        Map.entry("workloads.maintenance_share", "0.05"), Map.entry("workloads.checkpoint_duration", "0s"),
        Map.entry("faults.straggler_share", "0"), Map.entry("faults.silent_share", "0"),
        Map.entry("faults.power_cap_share", "0.1"), Map.entry("faults.power_cap_duration", "3h")));
    FleetConfig.Generation trn2 = run.model.config().generation("trn2");
    double capW = 0.8 * trn2.maxPowerW();
    double budget = (capW - trn2.idlePowerW()) / (trn2.maxPowerW() - trn2.idlePowerW());
    int ultraservers = 640;
    Map<Integer, List<Long>> cappedTicks = new HashMap<>();
    boolean[] reporting = new boolean[ultraservers];
    long first = run.tickAt("2026-11-25T00:00:00Z");
    run.walk(0, 40960, 32, first, 2 * 8640, 60, (tick, s) -> {
      reporting[s.ultraserver] = true;
      boolean pinned = s.powerW <= capW && s.utilization == budget;
      if (pinned) cappedTicks.computeIfAbsent(s.ultraserver, k -> new ArrayList<>()).add(tick);
      else assertThat(s.powerW).as("an uncapped training chip draws more than the cap").isGreaterThan(capW);
    });
    int episodes = 0;
    for (List<Long> ticks : cappedTicks.values()) {
      List<Long> distinct = ticks.stream().distinct().toList();
      int run0 = 0;
      for (int i = 0; i <= distinct.size(); i++) {
        boolean ends = i == distinct.size() || (i > 0 && distinct.get(i) != distinct.get(i - 1) + 60);
        if (ends && i > run0) {
          boolean inside = distinct.get(run0) > first && distinct.get(i - 1) < first + 2 * 8640 - 60;
          if (inside) {
            assertThat(i - run0).as("3 h at 10-minute steps").isEqualTo(18);
            episodes++;
          }
          run0 = i;
        }
      }
    }
    long reportingUs = java.util.stream.IntStream.range(0, ultraservers).filter(u -> reporting[u]).count();
    assertThat((double) episodes).isCloseTo(0.1 * reportingUs * 2, offset(40.0));
  }
}
