package io.fleetpulse.jobs.sink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Buckets records into Hive partitions {@code date=YYYY-MM-DD/hour=HH} by their own event time (UTC), not by when
 * they were written (Flink's DateTimeBucketAssigner): a replay or a late window lands in the partition a query
 * for that hour will scan. Daily tables are bucketed {@code date=YYYY-MM-DD} only: one row per group and day needs
 * no hour folders.
 */
public final class HivePartitionAssigner<T> implements BucketAssigner<T, String> {

  private static final long serialVersionUID = 1L;
  private final SerializableFunction<T, Long> eventTime;
  private final boolean daily;

  public HivePartitionAssigner(SerializableFunction<T, Long> eventTime) {
    this(eventTime, false);
  }

  public HivePartitionAssigner(SerializableFunction<T, Long> eventTime, boolean daily) {
    this.eventTime = eventTime;
    this.daily = daily;
  }

  public static String partitionOf(long epochMillis) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(24).append("date=");
    for (int y = t.getYear(), width = 1000; width > 1 && y < width; width /= 10) sb.append('0');
    sb.append(t.getYear()).append('-');
    two(sb, t.getMonthValue()).append('-');
    two(sb, t.getDayOfMonth()).append("/hour=");
    return two(sb, t.getHour()).toString();
  }

  /** {@code date=YYYY-MM-DD} of the UTC day. */
  public static String dayPartitionOf(long epochMillis) {
    String hourly = partitionOf(epochMillis);
    return hourly.substring(0, hourly.indexOf("/hour="));
  }

  private static StringBuilder two(StringBuilder sb, int n) {
    return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }

  /** The hour of the last record and its partition: records come hour after hour, so this is nearly always it. */
  private transient long lastHour = Long.MIN_VALUE;
  private transient String lastPartition;

  @Override
  public String getBucketId(T element, BucketAssigner.Context context) {
    long t = eventTime.apply(element);
    long hour = Math.floorDiv(t, 3_600_000L);
    if (hour != lastHour) {
      lastPartition = daily ? dayPartitionOf(t) : partitionOf(t);
      lastHour = hour;
    }
    return lastPartition;
  }

  @Override
  public SimpleVersionedSerializer<String> getSerializer() {
    return SimpleVersionedStringSerializer.INSTANCE;
  }
}
