package io.fleetpulse.generator;

import io.fleetpulse.platform.TopicAdmin;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.GracefulStop;
import io.fleetpulse.cli.KafkaOptions;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.RunOptions;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fleetpulse generate}: one generator process (one shard of the fleet) writing to Kafka. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes the modelled fleet's telemetry to Kafka (topic fleet.telemetry) as Avro, one sample per chip per "
          + "interval, each sent at its own event time (at --speedup), with a progress marker to every partition "
          + "after each tick so a job closes windows as soon as they are complete. Samples are a pure function of "
          + "(seed, chip, time), so runs replay exactly and shards (--shard i/N, one process each) never overlap. "
          + "A restarted shard carries on where it stopped (--fresh starts over). Prints a progress line every 5 s; "
          + "Ctrl-C finishes the tick in progress, flushes and exits."
    })
public final class GenerateCommand implements Callable<Integer> {

  static final Opt<Instant> PACE_FROM = Opt.time("pace-from")
      .defaultText("with --speedup 1 and no --start, the simulated start itself (event time = wall clock, shared by "
          + "every shard); otherwise when this process starts (or resumes)")
      .describe("Wall-clock instant the simulated start stands for: tick k is sent at this + k intervals / speedup "
          + "(each sample at its own event time). Give every shard of one fleet the same --start, --speedup and "
          + "--pace-from and they send together, however far apart they were started.");

  static final Opt<Shard> SHARD = Opt.of("shard", "i/N", Shard.class, Shard::parse).defaultValue(Shard.parse("0/1"))
      .defaultText("0/1")
      .describe("Produce only shard i of N: a contiguous 1/N of the UltraServers, one process each.");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.KAFKA, SharedOptions.FLEET, SharedOptions.RUN,
      List.of(PACE_FROM, SHARD, SharedOptions.TELEMETRY_TOPIC, SharedOptions.GRID_INTENSITY_TOPIC,
          SharedOptions.PARTITIONS, SharedOptions.REPLICATION, SharedOptions.FRESH, SharedOptions.GENERATOR_METRICS_PORT,
          SharedOptions.BIND));

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    return Commands.commandLine(new GenerateCommand(), OPTIONS);
  }

  @Override
  public Integer call() {
    Flags flags = Flags.of(spec, OPTIONS);
    KafkaOptions kafka = KafkaOptions.from(flags);
    RunOptions run = RunOptions.from(flags);
    Shard shard = flags.get(SHARD);
    Instant paceFrom = flags.get(PACE_FROM);
    String topic = flags.get(SharedOptions.TELEMETRY_TOPIC);
    boolean fresh = flags.get(SharedOptions.FRESH);
    Integer metricsPort = flags.get(SharedOptions.GENERATOR_METRICS_PORT);
    if (metricsPort != null && (metricsPort < -1 || metricsPort > 65_535)) {
      throw new IllegalArgumentException("--generator-metrics-port must be -1 (off), 0 (any free port) or a port up to 65535, "
          + "got " + metricsPort);
    }
    FleetConfig config = FleetOptions.from(flags).load();
    FleetModel model = new FleetModel(config);
    Map<String, Object> admin = new HashMap<>(kafka.properties());
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    String gridTopic = flags.get(SharedOptions.GRID_INTENSITY_TOPIC);
    Map<String, Integer> topics = new HashMap<>(Map.of(topic, flags.get(SharedOptions.PARTITIONS)));
    if (!gridTopic.isEmpty()) topics.put(gridTopic, 1);
    TopicAdmin.ensure(admin, topics, flags.get(SharedOptions.REPLICATION).shortValue(), Map.of());
    // Without --start, the same command again carries on the run this shard wrote last, if its settings match.
    RunIdentity last = fresh || run.start() != null ? null
        : KafkaResume.lastRun(kafka.bootstrapServers(), kafka.properties(), topic, shard);
    boolean sameRun = last != null && RunIdentity.of(config, last.start(), shard).equals(last);
    Instant start = sameRun ? last.start() : run.startOrNow();
    RunPlan plan = new RunPlan(shard, start, run.duration(), run.speedup(), paceFrom);
    if (paceFrom == null && run.start() == null && run.speedup().equals(Speedup.REAL_TIME)) {
      // Real time from now: pace by the wall clock itself (event time = wall clock), so shards started seconds apart
      // stay in step and a sample stamped t is in Kafka at about t.
      plan = new RunPlan(shard, plan.start(), plan.duration(), plan.speedup(), plan.alignedStart(model));
    }
    long endTick = plan.endTick(model); // validates --duration against the interval before anything starts

    RunIdentity identity = RunIdentity.of(config, plan.alignedStart(model), shard);
    KafkaResume.Position resume = fresh ? null
        : KafkaResume.find(kafka.bootstrapServers(), kafka.properties(), topic, model, plan, identity);
    System.err.printf("generator: shard %s of %,d chips (%,d UltraServers), run %s from %s%s, speedup %s, to %s at %s%n",
        shard, config.fleet().chips(), config.fleet().ultraservers(), identity.runId(), plan.alignedStart(model),
        endTick == RunPlan.UNBOUNDED ? " until stopped" : " for " + io.fleetpulse.model.Durations.format(run.duration()),
        run.speedup(), topic, kafka.bootstrapServers());
    if (resume != null && resume.complete()) {
      System.err.println("generator: the topic holds all of this shard's run already; nothing to send (--fresh "
          + "starts over)");
      return 0;
    }
    if (resume != null && !resume.none()) {
      System.err.println("generator: resuming where this shard stopped: " + resume.describe());
    }
    try (GeneratorMetrics metrics = metricsPort == null || metricsPort < 0 ? null
        : GeneratorMetrics.startOnPreferredOrFree(flags.get(SharedOptions.BIND), metricsPort, shard.toString(),
            identity.runId());
        KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), kafka.properties(), topic,
            model.layout(), identity, "fleetpulse-generator-" + shard.index())) {
      if (!gridTopic.isEmpty()) sink.withGridIntensity(gridTopic);
      FleetGenerator generator = resume == null || resume.none()
          ? new FleetGenerator(model, plan, sink, s -> System.err.println(s.line()))
          : new FleetGenerator(model, plan, sink, s -> System.err.println(s.line()), resume.resumeTick(),
              resume.sentAlready());
      if (metrics != null) {
        metrics.watch(generator);
        System.err.println("generator: Prometheus metrics at " + metrics.url());
      }
      // Waits as long as the last tick takes to flush: a stop never leaves a half-written tick behind.
      try (GracefulStop stop = GracefulStop.install("generator-shutdown", generator::requestStop,
          Duration.ofDays(1))) {
        GeneratorStats stats = generator.run();
        System.err.println(stats.line().replace("generator:", "generator: done,"));
      }
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(CliErrors.install(commandLine()).execute(args));
  }
}
