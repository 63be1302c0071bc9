package io.fleetpulse.jobs.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * One partition's watermark: what its records say the partition vouches for ({@link TelemetryRecord#watermark}, set by
 * {@link TelemetryReader}), never a sample's own time. A progress marker's watermark goes out at once, so the window it
 * completes closes without waiting for the periodic emit; the slow creep of sample-based watermarks goes out
 * periodically.
 */
public final class ProgressWatermarks implements WatermarkGenerator<TelemetryRecord> {

  private long vouched = Long.MIN_VALUE;
  private long emitted = Long.MIN_VALUE;

  @Override
  public void onEvent(TelemetryRecord record, long timestamp, WatermarkOutput output) {
    if (record.watermark > vouched) vouched = record.watermark;
    if (record.progress) emit(output);
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    emit(output);
  }

  private void emit(WatermarkOutput output) {
    if (vouched > emitted) {
      emitted = vouched;
      output.emitWatermark(new Watermark(vouched));
    }
  }
}
