package io.fleetpulse.jobs.alerts;

/**
 * One alert rule's memory for one subject (a chip or an UltraServer), kept in Flink keyed state: how long the
 * condition has held, whether the alert is open, and the waste counted so far. Public fields: a Flink POJO.
 */
public class AlertState {
  public long startTime;
  /** End of the last window the condition held in. */
  public long lastEnd;
  public int streak;
  public boolean open;
  public double observed;
  public double wastedEnergyKwh;
  public double wastedCostUsd;
  public double wastedCarbonKg;
  /** The condition was severe at least once (e.g. an uncorrected ECC error): reported as CRITICAL. */
  public boolean critical;
  /** End of the last window seen for the subject, judged or passed: a later window starting after it is a gap. */
  public long seenUntil;

  public AlertState() {}
}
