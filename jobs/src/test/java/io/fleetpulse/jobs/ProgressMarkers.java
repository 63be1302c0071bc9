package io.fleetpulse.jobs;

import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ProgressMarker;
import java.time.Instant;

/** Progress markers as a one-shard generator writes them, for in-memory telemetry whose watermark must move mid-run. */
final class ProgressMarkers {

  private ProgressMarkers() {}

  /** The one shard of run {@code run} has written all its samples stamped before {@code completeUntilMs}. */
  static byte[] marker(String run, Instant runStart, long completeUntilMs) {
    return AvroCodec.PROGRESS_MARKER.encode(ProgressMarker.newBuilder()
        .setProducer("fleetpulse-generator").setRunId(run).setRunStart(runStart)
        .setShardIndex(0).setShardCount(1).setCompleteUntil(Instant.ofEpochMilli(completeUntilMs))
        .setEndOfRun(false).build());
  }
}
