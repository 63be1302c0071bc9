package io.fleetpulse.cli;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which fleet to model, from the shared fleet flags ({@link SharedOptions#FLEET}): the flags override the fleet file,
 * which overrides the defaults.
 */
public final class FleetOptions {

  private final Path config;
  private final Integer chips;
  private final String interval;
  private final Long seed;
  private final Map<String, String> set;

  public FleetOptions(Path config, Integer chips, String interval, Long seed) {
    this(config, chips, interval, seed, Map.of());
  }

  public FleetOptions(Path config, Integer chips, String interval, Long seed, Map<String, String> set) {
    this.config = config;
    this.chips = chips;
    this.interval = interval;
    this.seed = seed;
    this.set = new LinkedHashMap<>(set);
  }

  /** The fleet flags a command read; a command without --seed passes its flags all the same. */
  public static FleetOptions from(Flags flags) {
    boolean seeded = flags.options().contains(SharedOptions.SEED);
    return new FleetOptions(flags.get(SharedOptions.CONFIG), flags.get(SharedOptions.CHIPS),
        flags.get(SharedOptions.INTERVAL), seeded ? flags.get(SharedOptions.SEED) : null, flags.get(SharedOptions.SET));
  }

  public Path configFile() {
    return config;
  }

  /** Loads and validates the config; throws ConfigException naming every bad key. */
  public FleetConfig load() {
    return FleetConfigLoader.load(config, overrides());
  }

  /** Loads with this command's own defaults under the file and flags (built-in < command < file < flags). */
  public FleetConfig load(Map<String, String> commandDefaults) {
    return FleetConfigLoader.load(commandDefaults, config, overrides());
  }

  /** Flag values as dotted config keys; the dedicated flags (--chips, ...) win over --set of the same key. */
  public Map<String, String> overrides() {
    Map<String, String> o = new LinkedHashMap<>(set);
    if (chips != null) o.put("fleet.chips", chips.toString());
    if (interval != null) o.put("fleet.interval", interval);
    if (seed != null) o.put("fleet.seed", seed.toString());
    return o;
  }
}
