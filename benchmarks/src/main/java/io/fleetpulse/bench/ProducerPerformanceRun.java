package io.fleetpulse.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own producer benchmark ({@code kafka-producer-perf-test}), run in this JVM against the same broker, with
 * the same record count, record size and producer settings as the generator. Its figures are what Kafka's client
 * can do here with no work per record, the bar the generator is held to.
 */
final class ProducerPerformanceRun {

  /** The closing summary line, e.g. "2000000 records sent, 480377.6 records/sec (34.36 MB/sec), ... 50th, ...". */
  private static final Pattern TOTAL =
      Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency.*50th.*");

  record Result(long records, double recordsPerSecond, double mbPerSecond, double avgLatencyMs, String summary) {}

  private ProducerPerformanceRun() {}

  static Result run(String topic, long records, int recordSize, Map<String, Object> producerConfig) throws Exception {
    List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records),
        "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props"));
    producerConfig.forEach((k, v) -> args.add(k + "=" + v));
    String output = capturingStdout(() -> ProducerPerformance.main(args.toArray(String[]::new)));
    for (String line : output.split("\\R")) {
      Matcher m = TOTAL.matcher(line.trim());
      if (m.matches()) {
        return new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)), line.trim());
      }
    }
    throw new IllegalStateException("ProducerPerformance printed no summary line; its output was:\n" + output);
  }

  interface Body {
    void run() throws Exception;
  }

  /** ProducerPerformance reports on System.out only. */
  private static synchronized String capturingStdout(Body body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
