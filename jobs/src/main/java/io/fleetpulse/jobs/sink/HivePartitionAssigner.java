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
 * for that hour will scan.
 */
public final class HivePartitionAssigner<T> implements BucketAssigner<T, String> {

  private static final long serialVersionUID = 1L;
  private final SerializableFunction<T, Long> eventTime;

  public HivePartitionAssigner(SerializableFunction<T, Long> eventTime) {
    this.eventTime = eventTime;
  }

  public static String partitionOf(long epochMillis) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
    return String.format("date=%04d-%02d-%02d/hour=%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour());
  }

  @Override
  public String getBucketId(T element, BucketAssigner.Context context) {
    return partitionOf(eventTime.apply(element));
  }

  @Override
  public SimpleVersionedSerializer<String> getSerializer() {
    return SimpleVersionedStringSerializer.INSTANCE;
  }
}
