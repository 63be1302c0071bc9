package io.fleetpulse.jobs.sink;

import io.fleetpulse.jobs.source.DeadLetter;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to Kafka, at least once, and never fails the job over one of them. Flink's KafkaSink fails the
 * job when the broker refuses a record, and the restarted job reads the same record and fails again, forever; here a
 * record the broker refuses for what it is (too large for the topic, invalid for it) is counted
 * ({@code fleetpulse.dead_letters_unwritable}), logged and skipped. Everything else (brokers gone, no rights) fails
 * the checkpoint as any sink would, so nothing is lost: the job restarts from the last checkpoint and writes again.
 * Records are bounded before they are sent ({@link DeadLetterRecords}), so refusals should not happen with the
 * default topic settings.
 */
public final class DeadLetterSink implements Sink<DeadLetter> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

  private final HashMap<String, String> producerConfig;
  private final String topic;
  private final int maxValueBytes;

  public DeadLetterSink(String bootstrapServers, Map<String, String> clientProperties, String topic,
      int maxValueBytes) {
    this.producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "50");
    producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producerConfig.putAll(clientProperties);
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.topic = topic;
    this.maxValueBytes = maxValueBytes;
  }

  @Override
  public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
    Counter unwritable = context.metricGroup().addGroup("fleetpulse").counter("dead_letters_unwritable");
    Counter truncated = context.metricGroup().addGroup("fleetpulse").counter("dead_letters_truncated");
    return writer(unwritable, truncated);
  }

  SinkWriter<DeadLetter> writer(Counter unwritable, Counter truncated) {
    return new Writer(new KafkaProducer<>(new HashMap<>(producerConfig), new ByteArraySerializer(),
        new ByteArraySerializer()), unwritable, truncated);
  }

  /** Whether Kafka refused the record for what it is, rather than because of the brokers or the client's rights. */
  static boolean refusedForItself(Exception e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException || e instanceof SerializationException;
  }

  private final class Writer implements SinkWriter<DeadLetter> {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Counter unwritable;
    private final Counter truncated;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long lastWarnNanos = Long.MIN_VALUE;

    Writer(KafkaProducer<byte[], byte[]> producer, Counter unwritable, Counter truncated) {
      this.producer = producer;
      this.unwritable = unwritable;
      this.truncated = truncated;
    }

    @Override
    public void write(DeadLetter d, Context context) throws IOException {
      rethrow();
      var record = DeadLetterRecords.toRecord(d, topic, maxValueBytes);
      if (record.headers().lastHeader(DeadLetterRecords.HEADER_TRUNCATED) != null) truncated.inc();
      Callback done = (metadata, e) -> {
        if (e == null) return;
        if (refusedForItself(e)) {
          unwritable.inc();
          warn(d, e);
        } else {
          failure.compareAndSet(null, e);
        }
      };
      producer.send(record, done);
    }

    private void warn(DeadLetter d, Exception e) {
      long now = System.nanoTime();
      if (now - lastWarnNanos < 10_000_000_000L) return; // one line per 10 s; the counter has the total
      lastWarnNanos = now;
      LOG.warn("dead letter {} not written to {} and skipped (counted in dead_letters_unwritable): {}", d, topic,
          e.toString());
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      producer.flush();
      rethrow();
    }

    private void rethrow() throws IOException {
      Exception e = failure.get();
      if (e != null) throw new IOException("cannot write dead letters to " + topic + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
