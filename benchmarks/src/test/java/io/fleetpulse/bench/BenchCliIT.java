package io.fleetpulse.bench;

import static io.fleetpulse.bench.BenchCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.bench.BenchCliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmarks run end to end and print every figure they promise; the figures themselves are not judged. */
class BenchCliIT {

  @Test
  @Timeout(120)
  void generatorBenchPrintsEveryFigure() {
    Run r = run("generator", "--chips", "640", "--samples", "20000", "--warmup-rounds", "1", "--pure-rounds", "3",
        "--kafka-records", "3000", "--kafka-warmup-records", "1000", "--kafka-rounds", "2", "--partitions", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("640 chips (10 UltraServers)")
        .containsPattern("samples \\(TickSampler\\.sample\\) +[\\d.]+ M/s \\(median of 3; min [\\d.]+, max [\\d.]+\\)")
        .containsPattern("samples \\+ Avro encoding \\([\\d.]+ B a record\\) +[\\d.]+ M/s .*target >= 5 M/s: (met|NOT met)")
        .contains("FleetModel.sample (the pure function")
        .containsPattern("warm-up, untimed: [\\d,]+ records each")
        .containsPattern("round 1  generator +[\\d,]+ records acknowledged")
        .containsPattern("round 2  ProducerPerformance +\\d+ records sent, [\\d.]+ records/sec")
        .containsPattern("ratio generator / ProducerPerformance, median of the rounds' ratios: [\\d.]+x \\(min [\\d.]+, "
            + "max [\\d.]+\\) +target >= 1.0x: (met|NOT met)")
        .containsPattern("\\(ratio of the medians: [\\d.]+x\\)")
        .containsPattern("memory: peak RSS [\\d,]+ MiB, peak heap [\\d,]+ MiB");
    // Both Kafka runs send the same number of records: whole ticks of the fleet, at least --kafka-records.
    assertThat(r.out()).containsPattern("each run sends [\\d,]+ records \\(\\d+ ticks of the fleet\\)");
  }

  @Test
  @Timeout(180)
  void jobBenchRunsTheRealJobAndPrintsItsRate() {
    Run r = run("job", "--chips", "640", "--telemetry", "2m", "--rounds", "1", "--checkpoint-interval", "1s");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("loaded [\\d,]+ samples \\(640 chips, 2m of simulated time\\) into 4 partitions")
        .containsPattern("round 1: [\\d,]+ samples/s over [\\d.]+ s wall \\(start-up included\\); [\\d,]+ samples/s over "
            + "[\\d.]+ s net runtime = [\\d,]+ samples/s per slot")
        .containsPattern("best net [\\d,]+ samples/s \\([\\d,]+ per slot\\); peak RSS");
  }
}
