package io.fleetpulse.dashboard;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Refuses records the job could not have written, each with the {@link SkipReason} it is counted under. A record
 * that decodes is still only bytes from Kafka: a NaN, a negative energy or a figure no fleet can reach would be
 * summed into the fleet's figures, a string of 600 KB kept in memory and sent to every browser.
 *
 * <p>The value bounds are physical, not the current config's: the widest any valid fleet config allows
 * ({@code FleetConfig.validate}), so a job run with other factors (--set) is never refused. A wrong figure
 * inside them cannot be told from a right one; what this catches is the impossible.
 */
final class RecordCheck {

  /** A whole record: the job's are a few KiB (the sketch and factors_used are the big parts). */
  static final int MAX_RECORD_BYTES = 64 * 1024;
  static final int MAX_FACTORS_CHARS = 16 * 1024;
  static final int MAX_SKETCH_BYTES = 32 * 1024;
  static final int MAX_SUMMARY_CHARS = 2_000;
  static final int MAX_ALERT_ID_CHARS = 256;
  static final long MIN_TIME = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long MAX_TIME = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
  static final long MAX_WINDOW_MS = 86_400_000L;

  /** Per chip: FleetConfig allows max_power_w up to 10,000; twice that leaves room for the model's noise. */
  static final double MAX_CHIP_POWER_W = 20_000;
  static final double MAX_PUE = 3.0;
  static final double MAX_GRID_G_PER_KWH = 2_000;
  static final double MAX_PEAK_TFLOPS = 100_000;
  static final double MAX_USD_PER_CHIP_HOUR = 1_000;
  /** A sample stands for its interval of one chip's time; ten samples a second is faster than any interval. */
  static final int MAX_SAMPLES_PER_CHIP_SECOND = 10;
  /** chip_seconds over chips times the window length; the job's is 1, rounding aside. */
  static final double MAX_CHIP_TIME_SHARE = 1.5;
  static final double MAX_GPU_USD_PER_PFLOP = 1e6;

  private final FleetBounds fleet;

  RecordCheck(FleetBounds fleet) {
    this.fleet = fleet;
  }

  /**
   * Checks one window record and returns its utilization sketch, read (the caller merges it without reading it
   * again). GENERATION and WORKLOAD records are not shown (workloads are thousands: not for a live page), so not
   * checked: null.
   */
  KllFloatsSketch window(WindowMetrics m) {
    long start = m.getWindowStart().toEpochMilli();
    long end = m.getWindowEnd().toEpochMilli();
    if (start < MIN_TIME || end > MAX_TIME) {
      throw new RecordRejected(SkipReason.BAD_TIME, "window " + m.getWindowStart() + ".." + m.getWindowEnd()
          + " is outside 2000..2200");
    }
    if (end <= start) {
      throw new RecordRejected(SkipReason.BAD_TIME, "window_end " + m.getWindowEnd() + " is not after window_start "
          + m.getWindowStart());
    }
    long length = end - start;
    if (length > MAX_WINDOW_MS || start % length != 0) {
      // Tumbling event-time windows start at multiples of their length.
      throw new RecordRejected(SkipReason.BAD_TIME, "window " + m.getWindowStart() + ".." + m.getWindowEnd()
          + " is not a tumbling window of at most a day");
    }
    AggregationLevel level = m.getLevel();
    if (level == AggregationLevel.GENERATION || level == AggregationLevel.WORKLOAD) return null;
    checkWhere(m, level);
    if (m.getFactorsUsed() != null && m.getFactorsUsed().length() > MAX_FACTORS_CHARS) {
      throw new RecordRejected(SkipReason.OVERSIZED, "factors_used of " + m.getFactorsUsed().length()
          + " chars, at most " + MAX_FACTORS_CHARS);
    }
    checkFigures(m, length);
    return sketch(m);
  }

  private void checkWhere(WindowMetrics m, AggregationLevel level) {
    if (level == AggregationLevel.ULTRASERVER) {
      Integer id = m.getUltraserverId();
      if (id == null || id < 0 || id >= FleetBoard.MAX_ULTRASERVER_ID) {
        throw new RecordRejected(SkipReason.BAD_ID, "ULTRASERVER record with ultraserver_id " + id + ", expected 0.."
            + (FleetBoard.MAX_ULTRASERVER_ID - 1));
      }
      if (m.getUltraservers() != 1) {
        throw new RecordRejected(SkipReason.BAD_VALUE, "ULTRASERVER record " + id + " counts " + m.getUltraservers()
            + " UltraServers");
      }
      site(m.getSite(), "ULTRASERVER record " + id);
      if (m.getGeneration() == null || !fleet.generations().contains(m.getGeneration())) {
        throw new RecordRejected(SkipReason.UNKNOWN_GENERATION, "ULTRASERVER record " + id + " of generation "
            + Text.quote(m.getGeneration()) + ", not one of the fleet's " + fleet.generations());
      }
    } else if (level == AggregationLevel.SITE) {
      site(m.getSite(), "SITE record");
    } else if (level == AggregationLevel.TENANT) {
      // Checked against the config's tenants, so the tenant view keeps at most those: 100, unplaced and unknown.
      if (m.getTenant() == null || !fleet.tenants().contains(m.getTenant())) {
        throw new RecordRejected(SkipReason.UNKNOWN_TENANT, "TENANT record of tenant " + Text.quote(m.getTenant())
            + ", not one of the fleet's " + fleet.tenants().size() + " tenants");
      }
      if (m.getWorkload() != null) {
        throw new RecordRejected(SkipReason.BAD_ID, "TENANT record " + Text.quote(m.getTenant()) + " naming workload "
            + Text.quote(m.getWorkload()));
      }
    }
  }

  private void site(String site, String what) {
    if (site == null || !fleet.sites().contains(site)) {
      throw new RecordRejected(SkipReason.UNKNOWN_SITE, what + " of site " + Text.quote(site)
          + ", not one of the fleet's " + fleet.sites());
    }
  }

  private void checkFigures(WindowMetrics m, long windowMs) {
    long samples = m.getSamples();
    int chips = m.getChipsReporting();
    int ultraservers = m.getUltraservers();
    if (ultraservers < 1 || ultraservers > FleetBoard.MAX_ULTRASERVER_ID) {
      throw bad("ultraservers", ultraservers);
    }
    if (chips < 1 || chips > (long) ultraservers * fleet.chipsPerUltraserver()) throw bad("chips_reporting", chips);
    // A window fires only with samples, at least one per reporting chip.
    if (samples < chips || samples > (long) chips * windowMs / 1000 * MAX_SAMPLES_PER_CHIP_SECOND) {
      throw bad("samples", samples);
    }
    if (m.getIdleSamples() < 0 || m.getIdleSamples() > samples) throw bad("idle_samples", m.getIdleSamples());

    double chipSeconds = sum("chip_seconds", m.getChipSeconds());
    atMost("chip_seconds", chipSeconds, chips * (windowMs / 1000.0) * MAX_CHIP_TIME_SHARE);
    atMost("utilization_sum", sum("utilization_sum", m.getUtilizationSum()), samples);
    sum("hbm_used_sum_gib", m.getHbmUsedSumGib());
    sum("hbm_capacity_sum_gib", m.getHbmCapacitySumGib());
    double powerMax = atMost("power_max_w", sum("power_max_w", m.getPowerMaxW()), MAX_CHIP_POWER_W);
    atMost("power_sum_w", sum("power_sum_w", m.getPowerSumW()), samples * powerMax);
    // Energy is power times time: no chip drew more than the window's peak over the chip time.
    double it = atMost("it_energy_kwh", sum("it_energy_kwh", m.getItEnergyKwh()), chipSeconds * powerMax / 3.6e6);
    double facility = sum("facility_energy_kwh", m.getFacilityEnergyKwh());
    if (facility < it * (1 - 1e-9) - 1e-12) throw bad("facility_energy_kwh", facility); // PUE >= 1
    atMost("facility_energy_kwh", facility, it * MAX_PUE);
    atMost("residual_facility_energy_kwh", sum("residual_facility_energy_kwh", m.getResidualFacilityEnergyKwh()),
        facility);
    atMost("idle_energy_kwh", sum("idle_energy_kwh", m.getIdleEnergyKwh()), it);
    atMost("delivered_pflop", sum("delivered_pflop", m.getDeliveredPflop()), chipSeconds * MAX_PEAK_TFLOPS / 1000);
    double location = atMost("carbon_location_kg", sum("carbon_location_kg", m.getCarbonLocationKg()),
        facility * MAX_GRID_G_PER_KWH / 1000);
    atMost("carbon_market_kg", sum("carbon_market_kg", m.getCarbonMarketKg()), location);
    double cost = atMost("cost_usd", sum("cost_usd", m.getCostUsd()), chipSeconds / 3600 * MAX_USD_PER_CHIP_HOUR);
    // The idle samples' chip time is part of the chip time paid for.
    atMost("idle_cost_usd", sum("idle_cost_usd", m.getIdleCostUsd()), cost);
    double gpu = m.getGpuReferenceUsdPerPflop();
    if (!(gpu > 0 && gpu <= MAX_GPU_USD_PER_PFLOP)) throw bad("gpu_reference_usd_per_pflop", gpu);
  }

  /** The sketch, read; refused unless it holds exactly the record's samples, all within 0..1. */
  private static KllFloatsSketch sketch(WindowMetrics m) {
    ByteBuffer bytes = m.getUtilizationSketch();
    if (bytes == null || !bytes.hasRemaining()) throw bad("utilization_sketch", "empty");
    if (bytes.remaining() > MAX_SKETCH_BYTES) {
      throw new RecordRejected(SkipReason.OVERSIZED, "utilization_sketch of " + bytes.remaining() + " bytes, at most "
          + MAX_SKETCH_BYTES);
    }
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    KllFloatsSketch sketch;
    try {
      sketch = KllFloatsSketch.heapify(Memory.wrap(copy));
    } catch (RuntimeException e) {
      // Bytes from Kafka: a truncated or foreign sketch fails in many ways deep inside DataSketches.
      throw bad("utilization_sketch", "unreadable (" + e.getClass().getSimpleName() + ")");
    }
    if (sketch.getN() != m.getSamples()) {
      throw bad("utilization_sketch", "of " + sketch.getN() + " values for " + m.getSamples() + " samples");
    }
    if (!sketch.isEmpty() && !(sketch.getMinItem() >= 0 && sketch.getMaxItem() <= 1)) {
      throw bad("utilization_sketch", "with values " + sketch.getMinItem() + ".." + sketch.getMaxItem());
    }
    return sketch;
  }

  void alert(Alert a) {
    String id = a.getAlertId();
    if (id == null || id.isEmpty()) throw new RecordRejected(SkipReason.BAD_ID, "alert without alert_id");
    if (id.length() > MAX_ALERT_ID_CHARS) {
      throw new RecordRejected(SkipReason.OVERSIZED, "alert_id of " + id.length() + " chars, at most "
          + MAX_ALERT_ID_CHARS);
    }
    String summary = a.getSummary();
    if (summary != null && summary.length() > MAX_SUMMARY_CHARS) {
      throw new RecordRejected(SkipReason.OVERSIZED, "alert " + Text.quote(id) + " with a summary of "
          + summary.length() + " chars, at most " + MAX_SUMMARY_CHARS);
    }
    List<Integer> chips = a.getChipIds();
    // The job's alerts name one chip, or some chips of one UltraServer.
    if (chips != null && chips.size() > fleet.chipsPerUltraserver()) {
      throw new RecordRejected(SkipReason.OVERSIZED, "alert " + Text.quote(id) + " listing " + chips.size()
          + " chips, at most " + fleet.chipsPerUltraserver() + " (one UltraServer)");
    }
    if (chips != null && chips.stream().anyMatch(c -> c == null || c < 0)) {
      throw new RecordRejected(SkipReason.BAD_ID, "alert " + Text.quote(id) + " with a negative chip id");
    }
    site(a.getSite(), "alert " + Text.quote(id));
    Integer us = a.getUltraserverId();
    if (us != null && (us < 0 || us >= FleetBoard.MAX_ULTRASERVER_ID)) {
      throw new RecordRejected(SkipReason.BAD_ID, "alert " + Text.quote(id) + " of ultraserver_id " + us);
    }
    if (a.getWorkloadId() != null && a.getWorkloadId() < 0) {
      throw new RecordRejected(SkipReason.BAD_ID, "alert " + Text.quote(id) + " of workload_id " + a.getWorkloadId());
    }
    long start = a.getStartTime().toEpochMilli();
    long updated = a.getUpdatedTime().toEpochMilli();
    Long end = a.getEndTime() == null ? null : a.getEndTime().toEpochMilli();
    if (start < MIN_TIME || updated > MAX_TIME || updated < start || (end != null && (end < start || end > updated))) {
      throw new RecordRejected(SkipReason.BAD_TIME, "alert " + Text.quote(id) + " starting " + a.getStartTime()
          + ", ending " + a.getEndTime() + ", updated " + a.getUpdatedTime());
    }
    for (double wasted : new double[] {a.getWastedEnergyKwh(), a.getWastedCostUsd(), a.getWastedCarbonKg()}) {
      if (!(wasted >= 0 && wasted < Double.POSITIVE_INFINITY)) throw bad("wasted_*", wasted);
    }
    // observed may be undefined (NaN, shown as a dash), never infinite.
    if (Double.isInfinite(a.getObserved()) || Double.isInfinite(a.getThreshold())) {
      throw bad("observed/threshold", a.getObserved() + "/" + a.getThreshold());
    }
  }

  /** A sum, count or maximum: finite and not negative. */
  private static double sum(String field, double v) {
    if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) throw bad(field, v);
    return v;
  }

  /** v <= bound, with room for the rounding of sums done in another order. */
  private static double atMost(String field, double v, double bound) {
    if (v > bound * (1 + 1e-9) + 1e-9) throw bad(field, v + " (at most " + bound + " here)");
    return v;
  }

  private static RecordRejected bad(String field, Object value) {
    return new RecordRejected(SkipReason.BAD_VALUE, field + " " + value);
  }
}
