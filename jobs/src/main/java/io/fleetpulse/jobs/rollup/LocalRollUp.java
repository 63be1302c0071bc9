package io.fleetpulse.jobs.rollup;

import io.fleetpulse.jobs.factors.Attribution;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * <p>The same goes for attribution: the UltraServer windows of one (window, workload, tenant) are summed into one
 * WORKLOAD cell, and each tenant's cells into one TENANT cell, so every UltraServer window counts in exactly one
 * workload and one tenant row and their sums equal the fleet's. Those go to {@link #ATTRIBUTED}, a side output with a
 * keyed window of its own: thousands of workload cells, each with its sketch, would otherwise sit in the channels
 * ahead of the watermark that closes the fleet's window.
 *
 * <p>Nothing is kept in state: a cell lives from the first UltraServer window the watermark fires to that same
 * watermark leaving this operator. With allowed lateness the UltraServer windows come that much after their end,
 * once each, and the keyed roll-up window fires that much later too.
 */
public final class LocalRollUp extends AbstractStreamOperator<RollUpAccumulator>
    implements OneInputStreamOperator<WindowMetrics, RollUpAccumulator> {

  private static final long serialVersionUID = 1L;

  private record Cell(long windowStart, String site, String generation) {}

  private record WorkloadCell(long windowStart, String workload, String tenant) {}

  private record TenantCell(long windowStart, String tenant) {}

  private static final class Pending {
    final RollUpAccumulator sums = new RollUpAccumulator();
    long timestamp = Long.MIN_VALUE;
  }

  private transient Map<Cell, Pending> cells;
  private transient Map<WorkloadCell, Pending> workloads;

  /** The workload and tenant cells, apart from the site, generation and fleet ones. */
  public static final org.apache.flink.util.OutputTag<RollUpAccumulator> ATTRIBUTED =
      new org.apache.flink.util.OutputTag<>("attributed-cells", TypeInformation.of(RollUpAccumulator.class));

  @Override
  public void open() throws Exception {
    super.open();
    cells = new LinkedHashMap<>();
    workloads = new LinkedHashMap<>();
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
    // A window built without attribution (none configured) is nobody's: unplaced, so the partition still holds.
    String workload = m.getWorkload() != null ? m.getWorkload() : Attribution.UNPLACED;
    String tenant = m.getTenant() != null ? m.getTenant() : Attribution.UNPLACED;
    Pending w = workloads.computeIfAbsent(new WorkloadCell(m.getWindowStart().toEpochMilli(), workload, tenant),
        c -> new Pending());
    w.sums.add(RollUpAccumulator.attributed(workload, tenant, MetricSums.of(m)));
    w.timestamp = Math.max(w.timestamp, element.getTimestamp());
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
    if (cells.isEmpty() && workloads.isEmpty()) return;
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
    Map<TenantCell, Pending> tenants = new LinkedHashMap<>();
    for (Map.Entry<WorkloadCell, Pending> e : workloads.entrySet()) {
      WorkloadCell c = e.getKey();
      long timestamp = e.getValue().timestamp;
      MetricSums sums = e.getValue().sums.finished();
      emitAttributed(RollUpAccumulator.attributed(c.workload(), c.tenant(), sums), timestamp);
      Pending t = tenants.computeIfAbsent(new TenantCell(c.windowStart(), c.tenant()), k -> new Pending());
      t.sums.add(RollUpAccumulator.attributed(null, c.tenant(), sums));
      t.timestamp = Math.max(t.timestamp, timestamp);
    }
    workloads.clear();
    for (Map.Entry<TenantCell, Pending> e : tenants.entrySet()) {
      emitAttributed(RollUpAccumulator.attributed(null, e.getKey().tenant(), e.getValue().sums.finished()),
          e.getValue().timestamp);
    }
  }

  private void emitAttributed(RollUpAccumulator group, long timestamp) {
    output.collect(ATTRIBUTED, new StreamRecord<>(group, timestamp));
  }

  private void emit(RollUpAccumulator group, long timestamp) {
    output.collect(new StreamRecord<>(group, timestamp));
  }
}
