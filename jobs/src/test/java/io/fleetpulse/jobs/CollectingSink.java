package io.fleetpulse.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A sink that keeps what it receives in memory (tests run the MiniCluster in this JVM). */
final class CollectingSink<T> implements Sink<T> {

  private static final long serialVersionUID = 1L;
  private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();
  private final String id = UUID.randomUUID().toString();

  CollectingSink() {
    RESULTS.put(id, new CopyOnWriteArrayList<>());
  }

  @SuppressWarnings("unchecked")
  List<T> results() {
    return new ArrayList<>((List<T>) (List<?>) RESULTS.get(id));
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> target = RESULTS.get(id);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context ctx) {
        target.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
