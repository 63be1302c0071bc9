package io.fleetpulse.dashboard;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the dashboard knows of the fleet it shows, to tell the job's records from anyone else's: the job only
 * writes sites and chip generations of its fleet config, and alerts about at most one UltraServer's chips. It
 * must be the config the job was given (the same {@code --config} file), or the dashboard refuses its records as
 * {@code unknown_site}: say so on the page rather than show them silently.
 *
 * <p>The fleet's size is not bounded here: it is commonly set on the job's command line ({@code --chips}), which
 * the dashboard does not see, so UltraServer ids are only checked to be in {@link FleetBoard#MAX_ULTRASERVER_ID}.
 *
 * @param sites site ids of the fleet config
 * @param generations chip generation ids of the fleet config
 * @param chipsPerUltraserver chips in one UltraServer: the most chips one UltraServer record can report
 */
public record FleetBounds(Set<String> sites, Set<String> generations, int chipsPerUltraserver) {

  private static final class Defaults {
    static final FleetBounds BUILT_IN = of(FleetConfigLoader.defaults());
  }

  public FleetBounds {
    sites = Set.copyOf(sites);
    generations = Set.copyOf(generations);
    if (sites.isEmpty() || generations.isEmpty() || chipsPerUltraserver < 1) {
      throw new IllegalArgumentException("a fleet needs sites, generations and chips per UltraServer, got " + sites
          + ", " + generations + ", " + chipsPerUltraserver);
    }
  }

  /** The sites and generations of a fleet config (the job's {@code --config}). */
  public static FleetBounds of(FleetConfig config) {
    return new FleetBounds(new TreeSet<>(config.siteIds()), new TreeSet<>(config.generations().keySet()),
        config.fleet().chipsPerUltraserver());
  }

  /** Those of the built-in fleet config (fleet-defaults.yaml), which the demo and a job without --config use. */
  public static FleetBounds defaults() {
    return Defaults.BUILT_IN;
  }
}
