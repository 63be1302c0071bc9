package io.fleetpulse.jobs.rollup;

import io.fleetpulse.metrics.FactorsUsed;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import java.util.HashSet;
import java.util.Set;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One roll-up group's window in progress: which group (level, site, generation, workload or tenant) and the sum of its UltraServers'
 * sums. Also the element type going into the roll-up window (one UltraServer's sums addressed to one group).
 *
 * <p>The group's utilization sketch is kept as a live KLL union while UltraServers are added (each one wrapped, not
 * copied), and turned into bytes only when the window is emitted or checkpointed (its serializer,
 * {@link RollUpAccumulatorSerializer}, writes it): the fleet group adds about 15,000 UltraServers a minute at 1M chips,
 * and a copy and re-serialization of the sketch per add was the cost that held the window back.
 */
@TypeInfo(RollUpAccumulatorTypeInfo.class)
public class RollUpAccumulator {
  public String key;
  public AggregationLevel level;
  public String site;
  public String generation;
  /** Set for an UltraServer's own hours (downsampling); null for every group of UltraServers. */
  public Integer ultraserverId;
  /** Set for WORKLOAD (with its tenant) and TENANT groups, and an UltraServer's hours. */
  public String workload;
  public String tenant;
  public MetricSums sums;
  /** The group's sketch while it takes more UltraServers; {@code sums.utilizationSketch} is stale meanwhile. */
  KllFloatsSketch union;
  /** The factors_used texts already in the union, so each is merged once. */
  private final Set<String> factorsSeen = new HashSet<>();

  public RollUpAccumulator() {}

  static RollUpAccumulator of(AggregationLevel level, String site, String generation, MetricSums sums) {
    RollUpAccumulator a = new RollUpAccumulator();
    a.level = level;
    a.site = site;
    a.generation = generation;
    a.key = level + "|" + (site != null ? site : generation != null ? generation : "fleet");
    a.sums = sums;
    return a;
  }

  /** A WORKLOAD group (a workload of one tenant) or, with a null workload, a TENANT group. */
  static RollUpAccumulator attributed(String workload, String tenant, MetricSums sums) {
    RollUpAccumulator a = new RollUpAccumulator();
    a.level = workload != null ? AggregationLevel.WORKLOAD : AggregationLevel.TENANT;
    a.workload = workload;
    a.tenant = tenant;
    a.key = workload != null ? a.level + "|" + workload + "|" + tenant : a.level + "|" + tenant;
    a.sums = sums;
    return a;
  }

  /**
   * A finished window of any level as a part of its own group's coarser window (its hour, or its day): the same
   * group, keyed so that every row of the coarser table is the sum of exactly the finer rows of its group. An
   * UltraServer's hours are keyed by its attribution too, so workload changes within an hour split the hour.
   */
  public static RollUpAccumulator partOf(io.fleetpulse.schema.WindowMetrics m) {
    RollUpAccumulator a = new RollUpAccumulator();
    a.level = m.getLevel();
    a.site = m.getSite();
    a.generation = m.getGeneration();
    a.workload = m.getWorkload();
    a.tenant = m.getTenant();
    a.ultraserverId = m.getUltraserverId();
    a.key = switch (a.level) {
      case ULTRASERVER -> a.level + "|" + a.ultraserverId + "|" + a.workload + "|" + a.tenant;
      case SITE -> a.level + "|" + a.site;
      case GENERATION -> a.level + "|" + a.generation;
      case WORKLOAD -> a.level + "|" + a.workload + "|" + a.tenant;
      case TENANT -> a.level + "|" + a.tenant;
      default -> a.level + "|fleet";
    };
    a.sums = MetricSums.of(m);
    return a;
  }

  public String getKey() {
    return key;
  }

  /** Adds one UltraServer's (or another part's) sums to this group's. */
  void add(RollUpAccumulator part) {
    if (sums == null) {
      key = part.key;
      level = part.level;
      site = part.site;
      generation = part.generation;
      workload = part.workload;
      tenant = part.tenant;
      ultraserverId = part.ultraserverId;
      sums = new MetricSums();
      sums.factorsUsed = "";
    }
    sums.addCountsAndSums(part.sums);
    String factors = part.sums.factorsUsed;
    if (factors != null && factorsSeen.add(factors)) sums.factorsUsed = FactorsUsed.union(sums.factorsUsed, factors);
    byte[] sketch = part.sketchBytes();
    if (sketch == null) return;
    if (union == null) {
      // Restored from a checkpoint, or copied by the state backend: carry on from the sketch in bytes.
      union = sums.utilizationSketch != null ? KllFloatsSketch.heapify(Memory.wrap(sums.utilizationSketch))
          : KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K);
    }
    union.merge(KllFloatsSketch.wrap(Memory.wrap(sketch)));
  }

  /** The sketch as bytes: the live union's, or the one it was built with. */
  byte[] sketchBytes() {
    return union != null ? union.toByteArray() : sums == null ? null : sums.utilizationSketch;
  }

  /** The group's sums with their sketch in bytes, to emit. */
  MetricSums finished() {
    sums.utilizationSketch = sketchBytes();
    return sums;
  }
}
