package io.fleetpulse.jobs.sink;

import io.fleetpulse.jobs.source.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dead letter as a Kafka record that always fits: the original value unchanged up to {@code maxValueBytes} (cut
 * beyond, and the header {@value #HEADER_TRUNCATED} says how long it was), the key up to {@value #MAX_KEY_BYTES}, the
 * reason, the detail (at most {@link DeadLetter#MAX_DETAIL_CHARS} characters) and where it came from as headers.
 */
public final class DeadLetterRecords {

  public static final String HEADER_REASON = "fleetpulse.dlq.reason";
  public static final String HEADER_DETAIL = "fleetpulse.dlq.detail";
  public static final String HEADER_SOURCE = "fleetpulse.dlq.source";
  public static final String HEADER_TRUNCATED = "fleetpulse.dlq.truncated";
  static final int MAX_KEY_BYTES = 1024;

  private DeadLetterRecords() {}

  public static ProducerRecord<byte[], byte[]> toRecord(DeadLetter d, String topic, int maxValueBytes) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HEADER_REASON, d.reason.name().getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_DETAIL, String.valueOf(d.detail).getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_SOURCE,
        (d.sourceTopic + "/" + d.sourcePartition + "/" + d.sourceOffset).getBytes(StandardCharsets.UTF_8));
    byte[] value = d.value;
    byte[] key = d.key;
    StringBuilder truncated = new StringBuilder();
    if (value != null && value.length > maxValueBytes) {
      truncated.append("value: first ").append(maxValueBytes).append(" of ").append(value.length).append(" bytes");
      value = Arrays.copyOf(value, maxValueBytes);
    }
    if (key != null && key.length > MAX_KEY_BYTES) {
      if (truncated.length() > 0) truncated.append("; ");
      truncated.append("key: first ").append(MAX_KEY_BYTES).append(" of ").append(key.length).append(" bytes");
      key = Arrays.copyOf(key, MAX_KEY_BYTES);
    }
    if (truncated.length() > 0) headers.add(HEADER_TRUNCATED, truncated.toString().getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, null, key, value, headers);
  }
}
