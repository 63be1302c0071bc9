package io.fleetpulse.generator;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.cli.CliErrors;
import io.fleetpulse.model.cli.Converters;
import io.fleetpulse.model.cli.FleetOptions;
import io.fleetpulse.model.cli.GracefulStop;
import io.fleetpulse.model.cli.KafkaOptions;
import io.fleetpulse.model.cli.RunOptions;
import io.fleetpulse.model.cli.Shard;
import io.fleetpulse.model.cli.Speedup;
import io.fleetpulse.schema.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  @Mixin KafkaOptions kafka;
  @Mixin FleetOptions fleet;
  @Mixin RunOptions run;

  @Option(names = "--pace-from", paramLabel = "TIME", converter = Converters.StartConverter.class,
      description = "Wall-clock instant the simulated start stands for: tick k is sent at this + k intervals / "
          + "speedup (each sample at its own event time). Give every shard of one fleet the same --start, --speedup "
          + "and --pace-from and they send together, however far apart they were started. Default: with --speedup 1 "
          + "and no --start, the simulated start itself (event time = wall clock, shared by every shard); otherwise "
          + "when this process starts (or resumes).")
  Instant paceFrom;

  @Option(names = "--shard", paramLabel = "i/N", converter = Converters.ShardConverter.class, defaultValue = "0/1",
      description = "Produce only shard i of N: a contiguous 1/N of the UltraServers. Default: ${DEFAULT-VALUE}.")
  Shard shard;

  @Option(names = "--topic", paramLabel = "NAME", defaultValue = Topics.TELEMETRY,
      description = "Topic to write. Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "8",
      description = "Partitions if the topic has to be created (existing topics are left alone). Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(names = "--replication", paramLabel = "N", defaultValue = "1",
      description = "Replication factor if the topic has to be created. Default: ${DEFAULT-VALUE}.")
  short replication;

  @Option(names = "--fresh", description = "Start over from --start even if the topic holds samples of this run "
      + "already (they would then be there twice). Without it a restarted shard finds in the topic where it stopped "
      + "and carries on: nothing lost, nothing repeated.")
  boolean fresh;

  @Override
  public Integer call() {
    FleetConfig config = fleet.load();
    FleetModel model = new FleetModel(config);
    Map<String, Object> admin = new HashMap<>(kafka.properties());
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Topics.ensure(admin, Map.of(topic, partitions), replication, Map.of());
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
    try (KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), kafka.properties(), topic,
        model.layout(), identity, "fleetpulse-generator-" + shard.index())) {
      FleetGenerator generator = resume == null || resume.none()
          ? new FleetGenerator(model, plan, sink, s -> System.err.println(s.line()))
          : new FleetGenerator(model, plan, sink, s -> System.err.println(s.line()), resume.resumeTick(),
              resume.sentAlready());
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
    System.exit(CliErrors.install(new CommandLine(new GenerateCommand())).execute(args));
  }
}
