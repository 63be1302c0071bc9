package io.fleetpulse.jobs.config;

import io.fleetpulse.jobs.alerts.AlertRules;
import io.fleetpulse.model.ConfigException;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.cli.StartTime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The job's settings: {@link JobOptions} values (from flags, environment or defaults) plus pass-through Kafka client
 * properties. Values are parsed and checked when set, so a bad one fails before anything starts.
 */
public final class JobConfig {

  private final Configuration conf = new Configuration();
  private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
  private final Map<String, String> fleetOverrides = new LinkedHashMap<>();

  public static JobConfig defaults() {
    return new JobConfig();
  }

  /** Sets an option from its text form, as on the command line; throws IllegalArgumentException naming the flag. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public JobConfig parse(ConfigOption<?> option, String raw) {
    Class<?> type = typeOf(option);
    String flag = "--" + option.key();
    try {
      Object value;
      if (type == Duration.class) {
        value = Durations.parse(raw);
      } else if (type == Integer.class) {
        value = Integer.parseInt(raw.trim());
      } else if (type == Long.class) {
        value = Long.parseLong(raw.trim());
      } else if (type == Double.class) {
        value = Double.parseDouble(raw.trim());
      } else if (type == Boolean.class) {
        String b = raw.trim().toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) throw new IllegalArgumentException("expected true or false");
        value = Boolean.parseBoolean(b);
      } else if (type.isEnum()) {
        value = Enum.valueOf((Class<Enum>) type, raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } else {
        value = raw;
      }
      conf.set((ConfigOption) option, value);
    } catch (IllegalArgumentException e) {
      String allowed = type.isEnum() ? " (one of " + java.util.Arrays.toString(type.getEnumConstants()) + ")" : "";
      throw new IllegalArgumentException(flag + ": cannot use '" + raw + "'" + allowed + ": " + e.getMessage(), e);
    }
    return this;
  }

  public <T> JobConfig set(ConfigOption<T> option, T value) {
    conf.set(option, value);
    return this;
  }

  public JobConfig kafkaProperty(String key, String value) {
    kafkaProperties.put(key, value);
    return this;
  }

  public <T> T get(ConfigOption<T> option) {
    return conf.get(option);
  }

  public boolean isSet(ConfigOption<?> option) {
    return conf.contains(option);
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

  /** The type an option's values have; Flink keeps it private, the default or a probe tells it. */
  static Class<?> typeOf(ConfigOption<?> option) {
    if (option.hasDefaultValue()) return option.defaultValue().getClass().isEnum()
        ? ((Enum<?>) option.defaultValue()).getDeclaringClass() : option.defaultValue().getClass();
    if (option == JobOptions.DURATION || option == JobOptions.INTERVAL) return Duration.class;
    if (option == JobOptions.CHIPS) return Integer.class;
    if (option == JobOptions.CHECK_TOPOLOGY) return Boolean.class;
    return String.class;
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
    String dir = conf.getOptional(JobOptions.CHECKPOINT_DIR).orElse(null);
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
    String file = conf.getOptional(JobOptions.CONFIG).orElse(null);
    Map<String, String> overrides = new LinkedHashMap<>(fleetOverrides);
    conf.getOptional(JobOptions.CHIPS).ifPresent(n -> overrides.put("fleet.chips", n.toString()));
    conf.getOptional(JobOptions.INTERVAL).ifPresent(d -> overrides.put("fleet.interval", Durations.format(d)));
    return FleetConfigLoader.load(file == null ? null : Path.of(file), overrides);
  }

  public Instant start() {
    return conf.getOptional(JobOptions.START).map(StartTime::parse).orElse(null);
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
    if (get(JobOptions.TOPIC_PARTITIONS) < 1) p.add("--topic-partitions: must be >= 1");
    if (get(JobOptions.ALERT_SUSTAIN_WINDOWS) < 1) p.add("--alert-sustain-windows: must be >= 1");
    if (get(JobOptions.ALERT_SILENT_WINDOWS) < 1) p.add("--alert-silent-windows: must be >= 1");
    if (get(JobOptions.ALERT_IDLE_WINDOWS) < 1) p.add("--alert-idle-windows: must be >= 1");
    if (get(JobOptions.ALERT_ECC_BURST) < 1) p.add("--alert-ecc-burst: must be >= 1");
    double ratio = get(JobOptions.ALERT_STRAGGLER_RATIO);
    if (!(ratio > 0 && ratio < 1)) p.add("--alert-straggler-ratio: must be in (0, 1), got " + ratio);
    double hbm = get(JobOptions.ALERT_HBM_PRESSURE);
    if (!(hbm > 0 && hbm <= 1)) p.add("--alert-hbm-pressure: must be in (0, 1], got " + hbm);
    if (get(JobOptions.TOPIC_REPLICATION) < 1) p.add("--topic-replication: must be >= 1");
    if (isSet(JobOptions.DURATION) && !isSet(JobOptions.START)) {
      p.add("--duration: needs --start, the event time it counts from (e.g. --start 2026-11-25T00:00:00Z)");
    }
    if (isSet(JobOptions.DURATION) && get(JobOptions.DURATION).toMillis() % window.toMillis() != 0) {
      p.add("--duration: must be a whole number of windows (" + Durations.format(window) + "), got "
          + Durations.format(get(JobOptions.DURATION)));
    }
    try {
      start();
    } catch (IllegalArgumentException e) {
      p.add(e.getMessage());
    }
    if (!p.isEmpty()) throw new ConfigException(p);
    fleetConfig();
    return this;
  }
}
