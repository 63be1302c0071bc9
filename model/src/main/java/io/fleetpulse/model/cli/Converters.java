package io.fleetpulse.model.cli;

import io.fleetpulse.model.Durations;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;

/** picocli converters for the shared flag types; their messages name the accepted forms. */
public final class Converters {

  private Converters() {}

  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }

  public static final class ShardConverter implements ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
      return Shard.parse(value);
    }
  }

  public static final class SpeedupConverter implements ITypeConverter<Speedup> {
    @Override
    public Speedup convert(String value) {
      return Speedup.parse(value);
    }
  }

  public static final class StartConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      return StartTime.parse(value);
    }
  }
}
