package io.fleetpulse.model.cli;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The shared fleet flags: which fleet to model. Flags override the fleet file, which overrides the defaults. */
public final class FleetOptions {

  @Option(names = "--config", paramLabel = "FILE",
      description = "Fleet YAML file: sites, generations, workloads, faults and the published factors "
          + "(PUE, grid factors, prices). Keys not in the file keep their defaults; see docs/fleet-model.md.")
  Path config;

  @Option(names = "--chips", paramLabel = "N",
      description = "Fleet size in chips, a multiple of 64 (one UltraServer). Default: fleet.chips of the config: "
          + "1000000, except 65536 for demo.")
  Integer chips;

  @Option(names = "--interval", paramLabel = "DURATION",
      description = "Sample interval per chip, dividing a minute (1s, 5s, 10s, 30s, 1m). Default: fleet.interval (10s).")
  String interval;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the fleet model: same seed and config, same telemetry. Default: fleet.seed (42).")
  Long seed;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Sets one fleet config key over the file and the defaults (repeatable), e.g. "
          + "--set faults.silent_share=0.01 --set sites.us-in.share=0.6 --set fleet.generation_mix={trn2: 0.7, trn3: 0.3}. "
          + "Keys, defaults and ranges: docs/fleet-model.md.")
  Map<String, String> set = new LinkedHashMap<>();

  public FleetOptions() {}

  public FleetOptions(Path config, Integer chips, String interval, Long seed) {
    this.config = config;
    this.chips = chips;
    this.interval = interval;
    this.seed = seed;
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
