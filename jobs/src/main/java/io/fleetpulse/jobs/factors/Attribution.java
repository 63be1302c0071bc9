package io.fleetpulse.jobs.factors;

import io.fleetpulse.model.FleetLayout;
import java.io.Serializable;
import java.util.List;

/**
 * Who an UltraServer window is charged to, from the fleet config's workloads and tenants: the workload a sample is
 * labelled with (its workload_id) and the tenant (its tenant label, else the workload's tenant in the config). A
 * label the config does not know is attributed to {@code unknown}, never dropped; a sample with no workload
 * (workload_id -1) to {@code unplaced}. Names of the config's own strings, so equal labels are the same instance.
 */
public final class Attribution implements Serializable {

  private static final long serialVersionUID = 1L;
  public static final String UNPLACED = FleetLayout.UNPLACED;
  public static final String UNKNOWN = FleetLayout.UNKNOWN;

  private final String[] workloadNames;
  private final String[] tenantOfWorkload;
  private final List<String> tenantIds;

  private Attribution(String[] workloadNames, String[] tenantOfWorkload, List<String> tenantIds) {
    this.workloadNames = workloadNames;
    this.tenantOfWorkload = tenantOfWorkload;
    this.tenantIds = tenantIds;
  }

  public static Attribution of(FleetLayout layout) {
    List<String> tenants = List.copyOf(layout.tenantIds());
    String[] names = new String[layout.workloadCount()];
    String[] tenantOf = new String[names.length];
    for (int id = 0; id < names.length; id++) {
      names[id] = layout.workloadName(id);
      tenantOf[id] = tenants.get(layout.tenantIndexOf(id));
    }
    return new Attribution(names, tenantOf, tenants);
  }

  /** No configured workloads or tenants: every labelled sample is unknown, every unlabelled one unplaced. */
  public static Attribution none() {
    return new Attribution(new String[0], new String[0], List.of());
  }

  public List<String> tenantIds() {
    return tenantIds;
  }

  /** True when the id is a workload of the config (or -1, no workload). */
  public boolean knowsWorkload(int workloadId) {
    return workloadId >= -1 && workloadId < workloadNames.length;
  }

  /** True when both labels are the config's (or absent): false means the sample goes to unknown. */
  public boolean knows(int workloadId, String tenantLabel) {
    return knowsWorkload(workloadId) && (tenantLabel == null || tenantIds.contains(tenantLabel));
  }

  /** The workload's name: its config name, unplaced for -1, unknown for an id the config does not have. */
  public String workload(int workloadId) {
    if (workloadId == -1) return UNPLACED;
    return workloadId >= 0 && workloadId < workloadNames.length ? workloadNames[workloadId] : UNKNOWN;
  }

  /**
   * The tenant: the label when it is a configured tenant (the scheduler's word wins over the config), the
   * workload's config tenant when unlabelled, unplaced without a workload, unknown otherwise.
   */
  public String tenant(int workloadId, String label) {
    if (workloadId == -1) return UNPLACED;
    if (label != null) {
      int i = tenantIds.indexOf(label);
      return i >= 0 ? tenantIds.get(i) : UNKNOWN;
    }
    return workloadId >= 0 && workloadId < tenantOfWorkload.length ? tenantOfWorkload[workloadId] : UNKNOWN;
  }
}
