package io.fleetpulse.dashboard;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the dashboard knows of the fleet it shows, to tell the job's records from anyone else's: the job only
 * writes sites, chip generations and tenants of its fleet config, and alerts about at most one UltraServer's chips.
 * It must be the config the job was given (the same {@code --config} file), or the dashboard refuses its records
 * as {@code unknown_site} (or {@code unknown_tenant}): say so on the page rather than show them silently. The
 * tenants also bound the tenant view: a config has at most 100, plus {@code unplaced} and {@code unknown}, so a
 * flood of made-up tenant ids is refused, never kept.
 *
 * <p>The fleet's size is not bounded here: it is commonly set on the job's command line ({@code --chips}), which
 * the dashboard does not see, so UltraServer ids are only checked to be in {@link FleetBoard#MAX_ULTRASERVER_ID}.
 *
 * @param sites site ids of the fleet config
 * @param generations chip generation ids of the fleet config
 * @param chipsPerUltraserver chips in one UltraServer: the most chips one UltraServer record can report
 * @param tenants tenant ids a TENANT record may name: the config's {@code workloads.tenant_mix}, {@code unplaced}
 *     and {@code unknown} (the job's names for capacity nobody holds and for labels it does not know)
 */
public record FleetBounds(Set<String> sites, Set<String> generations, int chipsPerUltraserver, Set<String> tenants) {

  private static final class Defaults {
    static final FleetBounds BUILT_IN = of(FleetConfigLoader.defaults());
  }

  public FleetBounds {
    sites = Set.copyOf(sites);
    generations = Set.copyOf(generations);
    tenants = Set.copyOf(tenants);
    if (sites.isEmpty() || generations.isEmpty() || chipsPerUltraserver < 1) {
      throw new IllegalArgumentException("a fleet needs sites, generations and chips per UltraServer, got " + sites
          + ", " + generations + ", " + chipsPerUltraserver);
    }
  }

  /** Without tenants of its own: only the job's {@code unplaced} and {@code unknown}. */
  public FleetBounds(Set<String> sites, Set<String> generations, int chipsPerUltraserver) {
    this(sites, generations, chipsPerUltraserver, FleetLayout.RESERVED_NAMES);
  }

  /** The sites, generations and tenants of a fleet config (the job's {@code --config}). */
  public static FleetBounds of(FleetConfig config) {
    Map<String, Double> mix = config.workloads().tenantMix();
    Set<String> tenants = new TreeSet<>(FleetLayout.RESERVED_NAMES);
    if (mix != null) tenants.addAll(mix.keySet());
    return new FleetBounds(new TreeSet<>(config.siteIds()), new TreeSet<>(config.generations().keySet()),
        config.fleet().chipsPerUltraserver(), tenants);
  }

  /** Those of the built-in fleet config (fleet-defaults.yaml), which the demo and a job without --config use. */
  public static FleetBounds defaults() {
    return Defaults.BUILT_IN;
  }
}
