package io.fleetpulse.jobs.config;

import io.fleetpulse.jobs.alerts.AlertRules;
import io.fleetpulse.model.ConfigException;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.Opt;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The job's settings: {@link JobOptions} values (from flags, environment or defaults) plus pass-through Kafka client
 * properties. Values are parsed and checked when set, so a bad one fails before anything starts.
 */
public final class JobConfig {

  private final Map<Opt<?>, Object> values = new LinkedHashMap<>();
  private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
  private final Map<String, String> fleetOverrides = new LinkedHashMap<>();

  public static JobConfig defaults() {
    return new JobConfig();
  }

  /** The settings a command line (and the environment) gave; {@code --kafka-property} and {@code --set} included. */
  public static JobConfig of(Flags flags) {
    JobConfig config = new JobConfig();
    for (Opt<?> option : JobOptions.ALL) {
      if (option == JobOptions.KAFKA_PROPERTY) {
        flags.get(JobOptions.KAFKA_PROPERTY).forEach(config::kafkaProperty);
      } else if (option == JobOptions.SET) {
        flags.get(JobOptions.SET).forEach(config::fleetOverride);
      } else if (flags.isGiven(option)) {
        config.values.put(option, flags.get(option));
      }
    }
    return config;
  }

  /** Sets an option from its text form, as on the command line; throws IllegalArgumentException naming the flag. */
  public JobConfig parse(Opt<?> option, String raw) {
    values.put(option, option.parse(raw));
    return this;
  }

  public <T> JobConfig set(Opt<T> option, T value) {
    values.put(option, value);
    return this;
  }

  public JobConfig kafkaProperty(String key, String value) {
    kafkaProperties.put(key, value);
    return this;
  }

  /** The value set, else the option's default (null for an option without one). */
  @SuppressWarnings("unchecked")
  public <T> T get(Opt<T> option) {
    return values.containsKey(option) ? (T) values.get(option) : option.defaultValue();
  }

  public boolean isSet(Opt<?> option) {
    return values.containsKey(option);
  }

  public Map<String, String> kafkaProperties() {
    return kafkaProperties;
  }

  /** A fleet config key set over the file and the defaults (--set KEY=VALUE), as the generator was given it. */
  public JobConfig fleetOverride(String key, String value) {
    fleetOverrides.put(key, value);
    return this;
  }

  public Map<String, String> fleetOverrides() {
    return fleetOverrides;
  }

  /** The alert rules' thresholds from the --alert-* options (the two shares without a flag are fixed rules). */
  public AlertRules alertRules() {
    return new AlertRules(get(JobOptions.ALERT_SUSTAIN_WINDOWS), get(JobOptions.ALERT_STRAGGLER_RATIO), 0.3,
        get(JobOptions.ALERT_SILENT_WINDOWS), get(JobOptions.ALERT_IDLE_WINDOWS), get(JobOptions.ALERT_ECC_BURST),
        get(JobOptions.ALERT_HBM_PRESSURE), 0.3, 0.95, checksTopology() ? 1 : 2);
  }

  /** The output root as a URI Flink's filesystems understand; local paths become absolute file: URIs. */
  public String dataUri() {
    return toUri(get(JobOptions.DATA));
  }

  public String checkpointUri() {
    String dir = get(JobOptions.CHECKPOINT_DIR);
    return dir != null ? toUri(dir) : dataUri() + "/_checkpoints";
  }

  static String toUri(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }
    URI uri = Path.of(location).toAbsolutePath().normalize().toUri();
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * Whether samples are checked against the fleet layout: as --check-topology says, else when the fleet was described
   * (the layout of the built-in 1M-chip fleet would reject the samples of any other).
   */
  public boolean checksTopology() {
    if (isSet(JobOptions.CHECK_TOPOLOGY)) return get(JobOptions.CHECK_TOPOLOGY);
    return isSet(JobOptions.CONFIG) || isSet(JobOptions.CHIPS) || isSet(JobOptions.INTERVAL) || !fleetOverrides.isEmpty();
  }

  /** The fleet config: built-in defaults, then --config, then --set, then --chips and --interval. */
  public FleetConfig fleetConfig() {
    return new FleetOptions(get(JobOptions.CONFIG), get(JobOptions.CHIPS), get(JobOptions.INTERVAL), null,
        fleetOverrides).load();
  }

  /** The event-time start: as given, or for a --duration run the current minute, as generate and demo take it. */
  public Instant start() {
    return get(JobOptions.START);
  }

  /** Checks relations between options; throws ConfigException listing each problem with its flag. */
  public JobConfig validate() {
    java.util.List<String> p = new java.util.ArrayList<>();
    Duration window = get(JobOptions.WINDOW);
    if (window.toMillis() < 1000 || Duration.ofDays(1).toMillis() % window.toMillis() != 0) {
      p.add("--window: must be at least 1s and divide a day evenly (e.g. 10s, 1m, 5m, 1h), got "
          + Durations.format(window));
    }
    if (get(JobOptions.CHECKPOINT_INTERVAL).toMillis() < 100) {
      p.add("--checkpoint-interval: must be at least 100ms, got " + Durations.format(get(JobOptions.CHECKPOINT_INTERVAL)));
    }
    int parallelism = get(JobOptions.PARALLELISM);
    int maxParallelism = get(JobOptions.MAX_PARALLELISM);
    if (parallelism == 0 || parallelism < -1) p.add("--parallelism: must be -1 (cluster default) or >= 1, got " + parallelism);
    if (maxParallelism < 1 || maxParallelism > 32768) p.add("--max-parallelism: must be in [1, 32768], got " + maxParallelism);
    if (parallelism > maxParallelism) {
      p.add("--parallelism: " + parallelism + " exceeds --max-parallelism " + maxParallelism);
    }
    if (get(JobOptions.PARTITIONS) < 1) p.add("--partitions: must be >= 1");
    if (get(JobOptions.ALERT_SUSTAIN_WINDOWS) < 1) p.add("--alert-sustain-windows: must be >= 1");
    if (get(JobOptions.ALERT_SILENT_WINDOWS) < 1) p.add("--alert-silent-windows: must be >= 1");
    if (get(JobOptions.ALERT_IDLE_WINDOWS) < 1) p.add("--alert-idle-windows: must be >= 1");
    if (get(JobOptions.ALERT_ECC_BURST) < 1) p.add("--alert-ecc-burst: must be >= 1");
    double ratio = get(JobOptions.ALERT_STRAGGLER_RATIO);
    if (!(ratio > 0 && ratio < 1)) p.add("--alert-straggler-ratio: must be in (0, 1), got " + ratio);
    double hbm = get(JobOptions.ALERT_HBM_PRESSURE);
    if (!(hbm > 0 && hbm <= 1)) p.add("--alert-hbm-pressure: must be in (0, 1], got " + hbm);
    if (get(JobOptions.REPLICATION) < 1) p.add("--replication: must be >= 1");
    if (isSet(JobOptions.DURATION) && !isSet(JobOptions.START)) {
      set(JobOptions.START, Instant.now().truncatedTo(ChronoUnit.MINUTES));
    }
    if (isSet(JobOptions.DURATION) && get(JobOptions.DURATION).toMillis() % window.toMillis() != 0) {
      p.add("--duration: must be a whole number of windows (" + Durations.format(window) + "), got "
          + Durations.format(get(JobOptions.DURATION)));
    }
    if (!p.isEmpty()) throw new ConfigException(p);
    fleetConfig();
    return this;
  }
}
