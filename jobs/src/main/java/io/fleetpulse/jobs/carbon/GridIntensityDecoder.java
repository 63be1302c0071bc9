package io.fleetpulse.jobs.carbon;

import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.GridIntensity;
import java.io.Serializable;
import java.util.Set;

/**
 * Decodes and checks one record of the grid-intensity topic. A record the join cannot use becomes a dead letter with
 * its reason, never an exception: a bad feed must not stop the job. Checked: Avro single-object encoding of
 * GridIntensity; a configured site; an hour start on a whole UTC hour; factors finite and not negative (at most
 * 5,000 gCO2e/kWh); shares in [0, 1].
 */
public final class GridIntensityDecoder implements Serializable {

  private static final long serialVersionUID = 1L;
  static final double MAX_G_PER_KWH = 5000;

  private final Set<String> sites;

  public GridIntensityDecoder(Set<String> sites) {
    this.sites = Set.copyOf(sites);
  }

  public GridInput decode(String topic, int partition, long offset, byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      return GridInput.invalid(new DeadLetter(DeadLetterReason.EMPTY, "no value", topic, partition, offset, key,
          value));
    }
    GridIntensity g;
    try {
      g = AvroCodec.GRID_INTENSITY.decode(value);
    } catch (DecodeException e) {
      return GridInput.invalid(new DeadLetter(e.reason(), e.getMessage(), topic, partition, offset, key, value));
    }
    String problem = problem(g);
    if (problem != null) {
      DeadLetterReason reason = problem.startsWith("site") ? DeadLetterReason.UNKNOWN_SITE
          : DeadLetterReason.OUT_OF_RANGE;
      return GridInput.invalid(new DeadLetter(reason, problem, topic, partition, offset, key, value));
    }
    return GridInput.valid(HourlyGrid.of(g));
  }

  /** What is wrong with a decoded record, or null. */
  String problem(GridIntensity g) {
    String site = g.getSite() == null ? null : g.getSite().toString();
    if (site == null || !sites.contains(site)) {
      return "site " + DeadLetter.quote(String.valueOf(site)) + " is not in the fleet config " + sites;
    }
    long hour = g.getHourStart().toEpochMilli();
    if (Math.floorMod(hour, HourlyGrid.HOUR_MS) != 0) return "hour_start " + g.getHourStart() + " is not a whole hour";
    if (!factor(g.getLocationGPerKwh())) return "location_g_per_kwh " + g.getLocationGPerKwh() + " outside [0, 5000]";
    if (!factor(g.getResidualGPerKwh())) return "residual_g_per_kwh " + g.getResidualGPerKwh() + " outside [0, 5000]";
    if (!share(g.getGridCfeShare())) return "grid_cfe_share " + g.getGridCfeShare() + " outside [0, 1]";
    Double contracted = g.getContractedCfeShare();
    if (contracted != null && !share(contracted)) return "contracted_cfe_share " + contracted + " outside [0, 1]";
    return null;
  }

  private static boolean factor(double v) {
    return v >= 0 && v <= MAX_G_PER_KWH;
  }

  private static boolean share(double v) {
    return v >= 0 && v <= 1;
  }
}
