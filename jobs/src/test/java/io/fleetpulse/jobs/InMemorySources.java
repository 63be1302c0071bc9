package io.fleetpulse.jobs;

import io.fleetpulse.jobs.carbon.GridInput;
import io.fleetpulse.jobs.carbon.GridIntensityDecoder;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.FleetTopology;
import io.fleetpulse.jobs.source.TelemetryDecoder;
import io.fleetpulse.jobs.source.TelemetryReader;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ProgressMarker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The job's inputs from byte records in memory, read the way the Kafka sources read them: telemetry through the
 * job's own {@link TelemetryReader} (one partition, the job's default bounds), grid figures through its decoder.
 * With parallelism 1 the records come in the list's order.
 */
final class InMemorySources {

  private InMemorySources() {}

  /** Telemetry of partition 0 of "telemetry": skew 5 min, out-of-orderness 15 s, marker timeout 1 min. */
  static DataGeneratorSource<TelemetryRecord> telemetry(FleetConfig config, MetricFactors factors,
      List<byte[]> records) {
    TelemetryReader reader = new TelemetryReader(new TelemetryDecoder(factors, new FleetTopology(config), 60_000),
        Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofMinutes(1), null);
    GeneratorFunction<Long, TelemetryRecord> fromList = i ->
        reader.read("telemetry", 0, i, null, records.get(i.intValue()));
    return new DataGeneratorSource<>(fromList, records.size(), TypeInformation.of(TelemetryRecord.class));
  }

  /** Grid-intensity records of partition 0 of "grid". */
  static DataGeneratorSource<GridInput> grid(MetricFactors factors, List<byte[]> records) {
    GridIntensityDecoder decoder = new GridIntensityDecoder(factors.siteIds());
    GeneratorFunction<Long, GridInput> fromList = i -> decoder.decode("grid", 0, i, null, records.get(i.intValue()));
    return new DataGeneratorSource<>(fromList, records.size(), TypeInformation.of(GridInput.class));
  }

  /** A progress marker as a one-shard generator writes it: run {@code run} has written all before the instant. */
  static byte[] marker(String run, Instant runStart, long completeUntilMs) {
    return AvroCodec.PROGRESS_MARKER.encode(ProgressMarker.newBuilder()
        .setProducer("fleetpulse-generator").setRunId(run).setRunStart(runStart)
        .setShardIndex(0).setShardCount(1).setCompleteUntil(Instant.ofEpochMilli(completeUntilMs))
        .setEndOfRun(false).build());
  }
}
