package io.fleetpulse.bench;

import io.fleetpulse.generator.ChipSampleWriter;
import io.fleetpulse.generator.FleetGenerator;
import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaSampleSink;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.model.TickSampler;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.PeakMemory;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetpulse bench generator}: how fast the fleet is generated, alone and into Kafka, against Kafka's own
 * ProducerPerformance on the same broker with the same records and settings.
 */
@Command(
    name = "generator",
    mixinStandardHelpOptions = true,
    version = "FleetPulse 0.1.0",
    sortOptions = false,
    description = {
      "Generation speed, pure and into Kafka against Kafka's ProducerPerformance, and memory. Prints, in one run:",
      "  1. pure generation on one thread, no Kafka: samples/s of the fast path (TickSampler), with and without "
          + "Avro encoding, after warm-up rounds; median, min and max of the timed rounds (target: >= 5 M/s);",
      "  2. events/s produced into an in-process Kafka broker (KRaft) by the generator with its real producer "
          + "settings (KafkaSampleSink.producerConfig: acks=all, idempotent, lz4, 20 ms linger, 256 KiB batches);",
      "  3. Kafka's ProducerPerformance with the same record count, record size and producer settings against the "
          + "same broker, and the ratio of the two, round by round (target: median >= 1.0x);",
      "  4. peak memory (RSS and heap).",
      "Figures are printed, never asserted; they move with whatever else runs on the machine."
    })
final class GeneratorBench implements Callable<Integer> {

  static final double GENERATION_TARGET = 5_000_000;
  static final double KAFKA_RATIO_TARGET = 1.0;

  static final Opt<Long> SAMPLES = Opt.longInt("samples").defaultValue(10_000_000L)
      .describe("Samples per timed round of pure generation (whole ticks of the fleet, at least N).");

  static final Opt<Integer> WARMUP_ROUNDS = Opt.integer("warmup-rounds").defaultValue(2)
      .describe("Untimed rounds of pure generation first, so the JIT has compiled the hot path.");

  static final Opt<Integer> PURE_ROUNDS = Opt.integer("pure-rounds").defaultValue(5)
      .describe("Timed rounds of pure generation; the median is the figure.");

  static final Opt<Long> KAFKA_RECORDS = Opt.longInt("kafka-records").defaultValue(2_000_000L)
      .describe("Records per Kafka run (whole ticks of the fleet, at least N); ProducerPerformance sends exactly as "
          + "many.");

  static final Opt<Long> KAFKA_WARMUP_RECORDS = Opt.longInt("kafka-warmup-records").defaultValue(2_000_000L)
      .describe("Records each of the two sends once, untimed, before the rounds: a cold client and broker (JIT, page "
          + "cache, metadata) would otherwise weigh on whichever runs first; 0 skips it.");

  static final Opt<Integer> KAFKA_ROUNDS = Opt.integer("kafka-rounds").defaultValue(5)
      .describe("Kafka rounds; each runs the generator and ProducerPerformance once, back to back in alternating "
          + "order, each into a fresh topic. The ratio judged is the median of the rounds' ratios (a round's two runs "
          + "share the machine's conditions); the ratio of the medians is printed beside it.");

  static final Opt<Boolean> SKIP_KAFKA = Opt.bool("skip-kafka")
      .describe("Measure pure generation only: no broker, no ProducerPerformance.");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.FLEET, List.of(SharedOptions.START, SAMPLES,
      WARMUP_ROUNDS, PURE_ROUNDS, KAFKA_RECORDS, KAFKA_WARMUP_RECORDS, KAFKA_ROUNDS, SharedOptions.PARTITIONS,
      SKIP_KAFKA));

  static CommandLine commandLine() {
    return Commands.commandLine(new GeneratorBench(), OPTIONS);
  }

  private FleetOptions fleet;
  private Instant start;
  private long samples;
  private int warmupRounds;
  private int rounds;
  private long kafkaRecords;
  private long kafkaWarmupRecords;
  private int kafkaRounds;
  private int partitions;
  private boolean skipKafka;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    Flags flags = Flags.of(spec, OPTIONS);
    fleet = FleetOptions.from(flags);
    start = flags.find(SharedOptions.START).orElse(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
    samples = flags.get(SAMPLES);
    warmupRounds = flags.get(WARMUP_ROUNDS);
    rounds = flags.get(PURE_ROUNDS);
    kafkaRecords = flags.get(KAFKA_RECORDS);
    kafkaWarmupRecords = flags.get(KAFKA_WARMUP_RECORDS);
    kafkaRounds = flags.get(KAFKA_ROUNDS);
    partitions = flags.get(SharedOptions.PARTITIONS);
    skipKafka = flags.get(SKIP_KAFKA);
    validate();
    out = spec.commandLine().getOut();
    FleetConfig config = fleet.load();
    FleetModel model = new FleetModel(config);
    long firstTick = model.tickOf(start.toEpochMilli());
    say("FleetPulse bench generator: %,d chips (%,d UltraServers), a sample every %s, seed %d, from %s; "
            + "Java %s, %d cores, max heap %,d MiB",
        config.fleet().chips(), config.fleet().ultraservers(), Durations.format(config.fleet().interval()),
        config.fleet().seed(), Instant.ofEpochMilli(firstTick * model.intervalMs()),
        Runtime.version().feature(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));

    pureGeneration(model, firstTick);
    if (!skipKafka) kafka(model, firstTick);
    say("");
    say("memory: %s", PeakMemory.describe());
    return 0;
  }

  private void validate() {
    if (samples < 1) throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
    if (rounds < 1) throw new IllegalArgumentException("--pure-rounds must be >= 1, got " + rounds);
    if (warmupRounds < 0) throw new IllegalArgumentException("--warmup-rounds must be >= 0, got " + warmupRounds);
    if (kafkaRecords < 1) throw new IllegalArgumentException("--kafka-records must be >= 1, got " + kafkaRecords);
    if (kafkaRounds < 1) throw new IllegalArgumentException("--kafka-rounds must be >= 1, got " + kafkaRounds);
    if (kafkaWarmupRecords < 0) {
      throw new IllegalArgumentException("--kafka-warmup-records must be >= 0, got " + kafkaWarmupRecords);
    }
    if (partitions < 1) throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
  }

  private void pureGeneration(FleetModel model, long firstTick) {
    say("");
    say("1. pure generation, one thread, no Kafka: %d timed rounds of >= %,d samples after %d warm-up rounds",
        rounds, samples, warmupRounds);
    PureGeneration gen = new PureGeneration(model, firstTick);
    for (int i = 0; i < warmupRounds; i++) {
      gen.modelOnly(samples);
      gen.withEncoding(samples);
    }
    double[] modelOnly = new double[rounds];
    double[] encoded = new double[rounds];
    long bytes = 0;
    long encodedSamples = 0;
    long checksum = 0;
    for (int i = 0; i < rounds; i++) {
      PureGeneration.Round m = gen.modelOnly(samples);
      PureGeneration.Round e = gen.withEncoding(samples);
      modelOnly[i] = m.perSecond();
      encoded[i] = e.perSecond();
      bytes += e.bytes();
      encodedSamples += e.samples();
      checksum += m.checksum() + e.checksum();
    }
    Rates withEncoding = new Rates(encoded);
    say("   samples (TickSampler.sample)               %s", new Rates(modelOnly).describe());
    say("   samples + Avro encoding (%.1f B a record)  %s   target >= %.0f M/s: %s", bytes / (double) encodedSamples,
        withEncoding.describe(), GENERATION_TARGET / 1e6, met(withEncoding.median() >= GENERATION_TARGET));
    PureGeneration.Round pure = gen.pureFunction(Math.max(1, samples / 10));
    say("   for scale, FleetModel.sample (the pure function, no caching): %,.2f M/s (one round of %,d)",
        pure.perSecond() / 1e6, pure.samples());
    if (checksum == 42) say("   (checksum %d)", checksum); // reads the checksum, so no round is optimised away
  }

  private void kafka(FleetModel model, long firstTick) throws Exception {
    long perTick = countTick(model, firstTick)[0];
    long ticks = Math.max(1, (kafkaRecords + perTick - 1) / perTick);
    long[] counted = count(model, firstTick, ticks);
    long records = counted[0];
    int recordSize = (int) Math.round(counted[1] / (double) records);
    say("");
    say("2-3. into an in-process Kafka broker (KRaft, this JVM), topics of %d partitions; each run sends %,d records "
        + "(%d ticks of the fleet), values of %d B on average", partitions, records, ticks, recordSize);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      Map<String, Object> settings = KafkaSampleSink.producerConfig(broker.bootstrapServers(), Map.of(), "bench");
      say("   producer settings (both): %s", printable(settings));
      say("   the generator keys each record by UltraServer (all 64 chips on one partition); ProducerPerformance "
          + "sends unkeyed records of random letters");
      if (kafkaWarmupRecords > 0) {
        long warmTicks = Math.max(1, (kafkaWarmupRecords + perTick - 1) / perTick);
        long warmRecords = count(model, firstTick, warmTicks)[0];
        say("   warm-up, untimed: %,d records each", warmRecords);
        generatorRun(broker, model, firstTick, warmTicks, warmRecords, -1);
        producerPerformanceRun(broker, warmRecords, recordSize, -1);
      }
      double[] generator = new double[kafkaRounds];
      double[] baseline = new double[kafkaRounds];
      for (int r = 0; r < kafkaRounds; r++) {
        boolean generatorFirst = r % 2 == 1;
        if (generatorFirst) generator[r] = generatorRun(broker, model, firstTick, ticks, records, r);
        baseline[r] = producerPerformanceRun(broker, records, recordSize, r);
        if (!generatorFirst) generator[r] = generatorRun(broker, model, firstTick, ticks, records, r);
      }
      Rates gen = new Rates(generator);
      Rates pp = new Rates(baseline);
      double[] paired = new double[kafkaRounds];
      for (int r = 0; r < kafkaRounds; r++) paired[r] = generator[r] / baseline[r];
      Rates ratios = new Rates(paired);
      say("   generator into Kafka    %s", gen.describe());
      say("   ProducerPerformance     %s", pp.describe());
      say("   ratio generator / ProducerPerformance, median of the rounds' ratios: %.2fx (min %.2f, max %.2f)   "
          + "target >= %.1fx: %s", ratios.median(), ratios.min(), ratios.max(), KAFKA_RATIO_TARGET,
          met(ratios.median() >= KAFKA_RATIO_TARGET));
      say("   (ratio of the medians: %.2fx)", gen.median() / pp.median());
    }
  }

  /** Round -1 is the warm-up: run, but not reported as a round. */
  private double generatorRun(EmbeddedKafkaBroker broker, FleetModel model, long firstTick, long ticks,
      long expected, int round) {
    String topic = round < 0 ? "bench.generator.warmup" : "bench.generator." + round;
    broker.createTopic(topic, partitions, Map.of());
    TopicReadiness.await(broker.bootstrapServers(), topic, partitions, Duration.ofSeconds(60));
    RunPlan plan = new RunPlan(Shard.WHOLE, Instant.ofEpochMilli(firstTick * model.intervalMs()),
        Duration.ofMillis(ticks * model.intervalMs()), Speedup.MAX);
    GeneratorStats stats;
    long acked;
    try (KafkaSampleSink sink = new KafkaSampleSink(broker.bootstrapServers(), Map.of(), topic, model, plan,
        "bench-generator-" + round)) {
      stats = new FleetGenerator(model, plan, sink, s -> {}).run(); // ends with a flush: every record acknowledged
      acked = sink.acknowledged();
    }
    if (acked != expected) {
      throw new IllegalStateException("generator run " + round + ": " + acked + " records acknowledged, " + expected
          + " expected");
    }
    double rate = stats.samplesPerSecond();
    if (round >= 0) {
      say("   round %d  generator            %,d records acknowledged in %.2f s: %,.0f records/s", round + 1, acked,
          stats.wallTime().toNanos() / 1e9, rate);
    }
    return rate;
  }

  private double producerPerformanceRun(EmbeddedKafkaBroker broker, long records, int recordSize, int round)
      throws Exception {
    String topic = round < 0 ? "bench.producer-performance.warmup" : "bench.producer-performance." + round;
    broker.createTopic(topic, partitions, Map.of());
    TopicReadiness.await(broker.bootstrapServers(), topic, partitions, Duration.ofSeconds(60));
    ProducerPerformanceRun.Result r = ProducerPerformanceRun.run(topic, records, recordSize,
        KafkaSampleSink.producerConfig(broker.bootstrapServers(), Map.of(), "bench-producer-performance-" + round));
    if (round >= 0) say("   round %d  ProducerPerformance  %s", round + 1, r.summary());
    return r.recordsPerSecond();
  }

  /** Samples and encoded bytes of whole ticks, as the Kafka runs will send them. */
  private static long[] count(FleetModel model, long firstTick, long ticks) {
    long[] total = new long[2];
    for (long tick = firstTick; tick < firstTick + ticks; tick++) {
      long[] one = countTick(model, tick);
      total[0] += one[0];
      total[1] += one[1];
    }
    return total;
  }

  private static long[] countTick(FleetModel model, long tick) {
    TickSampler sampler = new TickSampler(model, 0, model.layout().chips());
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    long n = 0;
    long bytes = 0;
    sampler.tick(tick);
    for (int chip = 0; chip < model.layout().chips(); chip++) {
      if (sampler.sample(chip, s)) {
        n++;
        bytes += writer.encode(s).length;
      }
    }
    return new long[] {n, bytes};
  }

  private static String printable(Map<String, Object> settings) {
    Map<String, Object> shown = new TreeMap<>(settings);
    shown.remove("bootstrap.servers");
    shown.remove("client.id");
    return shown.toString();
  }

  private static String met(boolean yes) {
    return yes ? "met" : "NOT met";
  }

  private void say(String format, Object... args) {
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }
}
