package io.fleetpulse.bench;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * One window's roll-ups, as the job's LocalRollUp groups UltraServer windows: by site, by generation, the fleet, by
 * workload (with its tenant) and by tenant, so every UltraServer counts once at each level and the workload and
 * tenant rows partition the fleet. Sums are added with {@link MetricSums#addCountsAndSums}; the group rows carry an
 * empty sketch (their quantiles are NaN): merging 15,625 sketches per group and minute would cost more than all the
 * rest, and no report reads them.
 */
final class GroupSums {

  static final byte[] EMPTY_SKETCH = KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K).toByteArray();

  private final FleetLayout layout;
  private final List<String> tenants;
  private final MetricSums[] sites;
  private final MetricSums[] generations;
  private final MetricSums fleet = new MetricSums();
  /** Index workload + 1: 0 is unplaced. */
  private final MetricSums[] workloads;
  /** Index tenant; the last is unplaced. */
  private final MetricSums[] tenantSums;

  GroupSums(FleetLayout layout) {
    this.layout = layout;
    this.tenants = layout.tenantIds();
    this.sites = fresh(layout.siteIds().size());
    this.generations = fresh(layout.generationIds().size());
    this.workloads = fresh(layout.workloadCount() + 1);
    this.tenantSums = fresh(tenants.size() + 1);
  }

  private static MetricSums[] fresh(int n) {
    MetricSums[] a = new MetricSums[n];
    for (int i = 0; i < n; i++) a[i] = new MetricSums();
    return a;
  }

  static String workloadName(FleetLayout layout, int workload) {
    return workload < 0 ? FleetLayout.UNPLACED : layout.workloadName(workload);
  }

  static String tenantName(FleetLayout layout, int workload) {
    return workload < 0 ? FleetLayout.UNPLACED : layout.tenantOf(workload);
  }

  /** Counts the UltraServer's window in each of its groups. */
  void add(int us, MetricSums s) {
    sites[layout.siteIndex(us)].addCountsAndSums(s);
    generations[layout.generationIndex(us)].addCountsAndSums(s);
    fleet.addCountsAndSums(s);
    int workload = layout.workload(us);
    workloads[workload + 1].addCountsAndSums(s);
    tenantSums[workload < 0 ? tenants.size() : layout.tenantIndexOf(workload)].addCountsAndSums(s);
  }

  /** Adds another window's groups (a finer window of the same groups: an hour into its day). */
  void add(GroupSums o) {
    for (int i = 0; i < sites.length; i++) sites[i].addCountsAndSums(o.sites[i]);
    for (int i = 0; i < generations.length; i++) generations[i].addCountsAndSums(o.generations[i]);
    fleet.addCountsAndSums(o.fleet);
    for (int i = 0; i < workloads.length; i++) workloads[i].addCountsAndSums(o.workloads[i]);
    for (int i = 0; i < tenantSums.length; i++) tenantSums[i].addCountsAndSums(o.tenantSums[i]);
  }

  /** The rows of each level, groups that saw no UltraServer left out. */
  Map<AggregationLevel, List<WindowMetrics>> rows(long start, long end, double gpuUsdPerPflop) {
    Map<AggregationLevel, List<WindowMetrics>> out = new EnumMap<>(AggregationLevel.class);
    List<WindowMetrics> site = new ArrayList<>();
    for (int i = 0; i < sites.length; i++) {
      row(site, sites[i], AggregationLevel.SITE, start, end, layout.siteIds().get(i), null, null, null, gpuUsdPerPflop);
    }
    out.put(AggregationLevel.SITE, site);
    List<WindowMetrics> gen = new ArrayList<>();
    for (int i = 0; i < generations.length; i++) {
      row(gen, generations[i], AggregationLevel.GENERATION, start, end, null, layout.generationIds().get(i), null, null,
          gpuUsdPerPflop);
    }
    out.put(AggregationLevel.GENERATION, gen);
    List<WindowMetrics> all = new ArrayList<>();
    row(all, fleet, AggregationLevel.FLEET, start, end, null, null, null, null, gpuUsdPerPflop);
    out.put(AggregationLevel.FLEET, all);
    List<WindowMetrics> work = new ArrayList<>();
    for (int i = 0; i < workloads.length; i++) {
      row(work, workloads[i], AggregationLevel.WORKLOAD, start, end, null, null, workloadName(layout, i - 1),
          tenantName(layout, i - 1), gpuUsdPerPflop);
    }
    out.put(AggregationLevel.WORKLOAD, work);
    List<WindowMetrics> ten = new ArrayList<>();
    for (int i = 0; i < tenantSums.length; i++) {
      row(ten, tenantSums[i], AggregationLevel.TENANT, start, end, null, null, null,
          i < tenants.size() ? tenants.get(i) : FleetLayout.UNPLACED, gpuUsdPerPflop);
    }
    out.put(AggregationLevel.TENANT, ten);
    return out;
  }

  private static void row(List<WindowMetrics> out, MetricSums s, AggregationLevel level, long start, long end,
      String site, String generation, String workload, String tenant, double gpuUsdPerPflop) {
    if (s.ultraservers == 0) return;
    s.utilizationSketch = EMPTY_SKETCH;
    s.factorsUsed = "";
    WindowMetrics m = s.toWindowMetrics(level, start, end, null, site, generation, gpuUsdPerPflop);
    m.setWorkload(workload);
    m.setTenant(tenant);
    out.add(m);
  }
}
