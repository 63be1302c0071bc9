package io.fleetpulse.jobs.rollup;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;

/**
 * One roll-up group's window in progress: which group (level, site or generation) and the sum of its UltraServers'
 * sums. Also the element type going into the roll-up window (one UltraServer's sums addressed to one group).
 */
public class RollUpAccumulator {
  public String key;
  public AggregationLevel level;
  public String site;
  public String generation;
  public MetricSums sums;

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

  public String getKey() {
    return key;
  }
}
