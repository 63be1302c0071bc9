package io.fleetpulse.jobs.alerts;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.window.ChipWindowStats;
import java.io.Serializable;

/**
 * Thresholds of the alert rules (docs/metrics.md, "Alerts"). Every rule is evaluated once per window; "sustained"
 * means that many consecutive windows.
 *
 * @param sustainWindows windows a condition must hold before a straggler, power-cap or HBM alert opens
 * @param stragglerRatio a training chip below this share of its job's median utilization is straggling
 * @param lowDemandUtilization below this utilization chips are checkpointing or stalled: a training job whose
 *     median is under it is not judged for stragglers, and an UltraServer under it asks too little power to show a
 *     cap
 * @param silentWindows windows a known chip (or a whole UltraServer) may miss before it counts as silent
 * @param idleWindows windows of UltraServer utilization under 5% before it counts as reserved-but-idle
 * @param eccBurstCorrected corrected ECC errors of one chip in one window that make a burst
 * @param hbmPressure HBM utilization of an UltraServer at or above which memory is under pressure
 * @param powerCapCeilingShare share of samples sitting at one power ceiling that marks a flat top
 * @param powerCapBelowRated a flat top below this share of rated max power is a cap (at rated max it is TDP)
 * @param windowsBeforeSilence windows an UltraServer must have sent before its silence is an alert: 1 when samples are
 *     checked against the fleet layout (every key is a real UltraServer), 2 without (one window alone may be a stray
 *     key: a bad id)
 */
public record AlertRules(
    int sustainWindows,
    double stragglerRatio,
    double lowDemandUtilization,
    int silentWindows,
    int idleWindows,
    long eccBurstCorrected,
    double hbmPressure,
    double powerCapCeilingShare,
    double powerCapBelowRated,
    int windowsBeforeSilence) implements Serializable {

  public AlertRules(int sustainWindows, double stragglerRatio, double lowDemandUtilization, int silentWindows,
      int idleWindows, long eccBurstCorrected, double hbmPressure, double powerCapCeilingShare,
      double powerCapBelowRated) {
    this(sustainWindows, stragglerRatio, lowDemandUtilization, silentWindows, idleWindows, eccBurstCorrected,
        hbmPressure, powerCapCeilingShare, powerCapBelowRated, 1);
  }

  /**
   * Whether an UltraServer's window looks power-capped: many samples sit at one power ceiling below rated max. One
   * definition for the POWER_CAP alert and for the straggler rule, which leaves capped UltraServers to it.
   */
  public boolean powerCapped(ChipWindowStats s, MetricFactors.GenerationFactors gen) {
    return s.ceilingShare >= powerCapCeilingShare && s.powerCeilingW < powerCapBelowRated * gen.maxPowerW()
        && s.powerCeilingW > gen.idlePowerW();
  }
}
