package io.fleetpulse.model;

/**
 * One chip's sample, as primitives. Mutable and reused: the generator fills one per chip per tick without
 * allocating; encode or copy it before the next fill.
 */
public final class Sample {
  public int chip;
  public int instance;
  public int ultraserver;
  public int site;
  public int generation;
  public int workload;
  /** Index into the layout's tenant ids of the workload's tenant; -1 when the chip runs no workload. */
  public int tenant;
  public Activity activity;
  public long eventTimeMs;
  public int intervalMs;
  public double utilization;
  public double hbmUsedGib;
  public double powerW;
  public double renewableShare;
  public long eccCorrectedTotal;
  public long eccUncorrectedTotal;

  @Override
  public String toString() {
    return "Sample{chip=" + chip + ", us=" + ultraserver + ", t=" + eventTimeMs + ", " + activity
        + ", util=" + utilization + ", hbm=" + hbmUsedGib + ", power=" + powerW + ", renewable="
        + renewableShare + ", ecc=" + eccCorrectedTotal + "/" + eccUncorrectedTotal + "}";
  }
}
