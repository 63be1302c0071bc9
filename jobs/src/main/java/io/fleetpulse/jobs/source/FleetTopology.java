package io.fleetpulse.jobs.source;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.schema.DeadLetterReason;
import java.io.Serializable;

/**
 * Where each chip of the fleet sits (chip -> instance -> UltraServer -> site -> generation) and how often it samples,
 * from the fleet layout: what a sample's ids and interval are checked against, so that a sample can only count for
 * the UltraServer it belongs to. Without this check (--check-topology false, telemetry of a fleet the config does not
 * describe) ids are only checked for range, and per-key state is bounded by time instead.
 */
public final class FleetTopology implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int chips;
  private final int chipsPerUltraserver;
  private final int chipsPerInstance;
  private final long intervalMs;
  private final String[] siteIds;
  private final String[] generationIds;
  private final byte[] siteOfUltraserver;
  private final byte[] generationOfUltraserver;

  public FleetTopology(FleetConfig config) {
    FleetLayout layout = new FleetLayout(config);
    this.chips = layout.chips();
    this.chipsPerUltraserver = layout.chipsPerUltraserver();
    this.chipsPerInstance = config.fleet().chipsPerInstance();
    this.intervalMs = config.fleet().interval().toMillis();
    this.siteIds = layout.siteIds().toArray(String[]::new);
    this.generationIds = layout.generationIds().toArray(String[]::new);
    this.siteOfUltraserver = new byte[layout.ultraservers()];
    this.generationOfUltraserver = new byte[layout.ultraservers()];
    for (int us = 0; us < layout.ultraservers(); us++) {
      siteOfUltraserver[us] = (byte) layout.siteIndex(us);
      generationOfUltraserver[us] = (byte) layout.generationIndex(us);
    }
  }

  /** What is wrong with a sample's place in the fleet, or null when it sits where the layout puts its chip. */
  public Problem check(int chip, int instance, int ultraserver, CharSequence site, CharSequence generation,
      int sampleIntervalMs) {
    if (chip < 0 || chip >= chips) {
      return new Problem(DeadLetterReason.UNKNOWN_CHIP,
          "chip_id " + chip + " is outside the fleet's chips 0.." + (chips - 1));
    }
    int us = chip / chipsPerUltraserver;
    int inst = chip / chipsPerInstance;
    String expectedSite = siteIds[siteOfUltraserver[us]];
    String expectedGeneration = generationIds[generationOfUltraserver[us]];
    if (ultraserver != us || instance != inst || !expectedSite.contentEquals(site)
        || !expectedGeneration.contentEquals(generation)) {
      return new Problem(DeadLetterReason.WRONG_TOPOLOGY, "chip " + chip + " belongs to instance " + inst
          + ", UltraServer " + us + ", site " + expectedSite + ", generation " + expectedGeneration + "; the sample "
          + "says instance " + instance + ", UltraServer " + ultraserver + ", site " + DeadLetter.quote(site)
          + ", generation " + DeadLetter.quote(generation));
    }
    if (sampleIntervalMs != intervalMs) {
      return new Problem(DeadLetterReason.WRONG_INTERVAL,
          "interval_ms " + sampleIntervalMs + ", but the fleet samples every " + intervalMs + " ms");
    }
    return null;
  }

  public int chips() {
    return chips;
  }

  public long intervalMs() {
    return intervalMs;
  }

  public int ultraservers() {
    return siteOfUltraserver.length;
  }

  /** A failed check: the dead-letter reason, and a line saying what the layout expected. */
  public record Problem(DeadLetterReason reason, String detail) {}
}
