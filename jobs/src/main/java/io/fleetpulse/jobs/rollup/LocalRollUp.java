package io.fleetpulse.jobs.rollup;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The first half of a two-phase roll-up, on each UltraServer-window subtask: the UltraServer windows of one cell
 * (window, site, generation) are summed as they fire, and each cell goes on once, addressed to its site, its
 * generation and the fleet, just before the watermark that fired them does (and before a checkpoint barrier, and
 * at the end of input, so nothing is held across either). The keyed roll-up window then adds a few cells per
 * subtask instead of three records per UltraServer: at 1M chips that is 15,625 UltraServer windows a minute, all
 * firing at once, and merging each one's sketch three times over the network was what held the fleet window back.
 *
 * <p>Nothing is kept in state: a cell lives from the first UltraServer window the watermark fires to that same
 * watermark leaving this operator. A window re-emitted within the allowed lateness reaches the roll-up as before,
 * after its window there has fired.
 */
public final class LocalRollUp extends AbstractStreamOperator<RollUpAccumulator>
    implements OneInputStreamOperator<WindowMetrics, RollUpAccumulator> {

  private static final long serialVersionUID = 1L;

  private record Cell(long windowStart, String site, String generation) {}

  private static final class Pending {
    final RollUpAccumulator sums = new RollUpAccumulator();
    long timestamp = Long.MIN_VALUE;
  }

  private transient Map<Cell, Pending> cells;

  @Override
  public void open() throws Exception {
    super.open();
    cells = new LinkedHashMap<>();
  }

  @Override
  public void processElement(StreamRecord<WindowMetrics> element) {
    WindowMetrics m = element.getValue();
    String site = m.getSite();
    String generation = m.getGeneration();
    Pending cell = cells.computeIfAbsent(new Cell(m.getWindowStart().toEpochMilli(), site, generation),
        c -> new Pending());
    cell.sums.add(RollUpAccumulator.of(AggregationLevel.FLEET, site, generation, MetricSums.of(m)));
    cell.timestamp = Math.max(cell.timestamp, element.getTimestamp());
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() {
    if (cells.isEmpty()) return;
    for (Map.Entry<Cell, Pending> e : cells.entrySet()) {
      Cell c = e.getKey();
      long timestamp = e.getValue().timestamp;
      // One copy of the cell's sums for the three groups: each is serialized as it goes, and nobody changes it.
      MetricSums sums = e.getValue().sums.finished();
      emit(RollUpAccumulator.of(AggregationLevel.SITE, c.site(), null, sums), timestamp);
      emit(RollUpAccumulator.of(AggregationLevel.GENERATION, null, c.generation(), sums), timestamp);
      emit(RollUpAccumulator.of(AggregationLevel.FLEET, null, null, sums), timestamp);
    }
    cells.clear();
  }

  private void emit(RollUpAccumulator group, long timestamp) {
    output.collect(new StreamRecord<>(group, timestamp));
  }
}
