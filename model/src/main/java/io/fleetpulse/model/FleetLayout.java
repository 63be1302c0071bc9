package io.fleetpulse.model;

import java.util.List;
import java.util.Map;

/**
 * Where every UltraServer sits and what it runs: a pure function of the config (seed included), computed once.
 *
 * <p>Each site takes a contiguous block of UltraServers in proportion to its share. Inside a site, UltraServers
 * are split by placement (training, inference, flex, reserved-idle, maintenance) and then by generation, both
 * in exact proportion, so configured shares hold in every site. Training and flex ranges are cut into jobs of
 * 1..max_ultraservers_per_job neighbouring UltraServers (a job needs the NeuronLink/EFA locality); inference
 * ranges into services of 1..max_ultraservers_per_service. Of the reserved-idle range, the first
 * reservation_held_share is held by tenants' reservations (blocks sized like services); the rest is unplaced.
 *
 * <p>Every workload (job, service, reservation) belongs to one tenant of workloads.tenant_mix, drawn by seed in
 * proportion to the shares, and has a name that says its kind ({@code train-00017}): what a scheduler would put on
 * its pods as labels, and what chargeback reports by.
 */
public final class FleetLayout {

  private static final Placement[] PLACEMENTS = Placement.values();
  /** Attribution of capacity nobody holds (maintenance, the unheld reserved-idle pool). */
  public static final String UNPLACED = "unplaced";
  /** Attribution of a label the fleet config does not know. */
  public static final String UNKNOWN = "unknown";
  /** Names no tenant or workload may take: they mean no attribution. */
  public static final java.util.Set<String> RESERVED_NAMES = java.util.Set.of(UNPLACED, UNKNOWN);

  private final int chipsPerUs;
  private final int chipsPerInstance;
  private final int usCount;
  private final List<String> siteIds;
  private final List<String> generationIds;
  private final byte[] site;
  private final byte[] generation;
  private final byte[] placement;
  private final int[] workload;
  private final int[] workloadFirstUs;
  private final int workloads;
  private final List<String> tenantIds;
  /** Per workload id: its placement (ordinal) and its tenant (index into tenantIds). */
  private final byte[] workloadPlacement;
  private final byte[] workloadTenant;

  public FleetLayout(FleetConfig cfg) {
    FleetConfig.Fleet f = cfg.fleet();
    this.chipsPerUs = f.chipsPerUltraserver();
    this.chipsPerInstance = f.chipsPerInstance();
    this.usCount = f.ultraservers();
    this.siteIds = cfg.siteIds();
    this.generationIds = List.copyOf(f.generationMix().keySet().stream().sorted().toList());
    this.site = new byte[usCount];
    this.generation = new byte[usCount];
    this.placement = new byte[usCount];
    this.workload = new int[usCount];
    this.workloadFirstUs = new int[usCount];
    java.util.Arrays.fill(workload, -1);

    FleetConfig.Workloads w = cfg.workloads();
    double[] placementShares = {
      w.trainingShare(), w.inferenceShare(), w.flexShare(), w.reservedIdleShare(), w.maintenanceShare()
    };
    double[] generationShares =
        generationIds.stream().mapToDouble(g -> f.generationMix().get(g)).toArray();
    double[] siteShares = cfg.sites().stream().mapToDouble(FleetConfig.Site::share).toArray();

    java.util.List<Byte> placementOf = new java.util.ArrayList<>();
    int nextWorkload = 0;
    int[] siteBounds = split(0, usCount, siteShares);
    for (int s = 0; s < siteShares.length; s++) {
      int[] placementBounds = split(siteBounds[s], siteBounds[s + 1], placementShares);
      for (int p = 0; p < placementShares.length; p++) {
        Placement kind = Placement.values()[p];
        int[] genBounds = split(placementBounds[p], placementBounds[p + 1], generationShares);
        for (int g = 0; g < generationShares.length; g++) {
          int us = genBounds[g];
          int end = genBounds[g + 1];
          // Reservations hold the first reservation_held_share of the reserved-idle range; the rest is unplaced.
          int heldEnd = kind != Placement.RESERVED_IDLE ? end
              : us + (int) Math.round((end - us) * w.reservationHeldShare());
          while (us < end) {
            boolean held = kind != Placement.MAINTENANCE && us < heldEnd;
            int size = blockSize(cfg, kind, us);
            int blockEnd = (int) Math.min(held ? heldEnd : end, (long) us + size);
            int id = held ? nextWorkload++ : -1;
            if (held) placementOf.add((byte) p);
            for (int u = us; u < blockEnd; u++) {
              site[u] = (byte) s;
              generation[u] = (byte) g;
              placement[u] = (byte) p;
              workload[u] = id;
              workloadFirstUs[u] = us;
            }
            us = blockEnd;
          }
        }
      }
    }
    this.workloads = nextWorkload;
    this.tenantIds = List.copyOf(w.tenantMix().keySet());
    this.workloadPlacement = new byte[workloads];
    this.workloadTenant = new byte[workloads];
    double[] tenantShares = w.tenantMix().values().stream().mapToDouble(Double::doubleValue).toArray();
    for (int id = 0; id < workloads; id++) {
      workloadPlacement[id] = placementOf.get(id);
      workloadTenant[id] = (byte) draw(tenantShares, Rng.unit(Rng.hash(f.seed(), Rng.TENANT, id, 0)));
    }
  }

  /** The index whose cumulative share first exceeds u in [0, 1). */
  private static int draw(double[] shares, double u) {
    double total = 0;
    for (double s : shares) total += s;
    double cum = 0;
    for (int i = 0; i < shares.length; i++) {
      cum += shares[i] / total;
      if (u < cum) return i;
    }
    return shares.length - 1;
  }

  private static int blockSize(FleetConfig cfg, Placement kind, int firstUs) {
    double u = Rng.unit(Rng.hash(cfg.fleet().seed(), Rng.JOB_SIZE, firstUs, 0));
    return switch (kind) {
      // Squaring skews sizes small: many 1-4 UltraServer jobs, a few that span dozens.
      case TRAINING, FLEX -> 1 + (int) (u * u * cfg.workloads().maxUltraserversPerJob());
      case INFERENCE, RESERVED_IDLE -> 1 + (int) (u * cfg.workloads().maxUltraserversPerService());
      default -> Integer.MAX_VALUE;
    };
  }

  /** Cuts [from, to) into consecutive ranges in proportion to shares; returns shares.length + 1 bounds. */
  static int[] split(int from, int to, double[] shares) {
    int[] bounds = new int[shares.length + 1];
    double total = 0;
    for (double s : shares) total += s;
    double cum = 0;
    bounds[0] = from;
    for (int i = 0; i < shares.length; i++) {
      cum += shares[i];
      bounds[i + 1] = i == shares.length - 1 ? to : from + (int) Math.round((to - from) * cum / total);
    }
    return bounds;
  }

  public int ultraservers() {
    return usCount;
  }

  public int chips() {
    return usCount * chipsPerUs;
  }

  public int chipsPerUltraserver() {
    return chipsPerUs;
  }

  public int ultraserverOf(int chip) {
    return chip / chipsPerUs;
  }

  public int instanceOf(int chip) {
    return chip / chipsPerInstance;
  }

  public int siteIndex(int us) {
    return site[us];
  }

  public String siteId(int us) {
    return siteIds.get(site[us]);
  }

  public int generationIndex(int us) {
    return generation[us];
  }

  public String generationId(int us) {
    return generationIds.get(generation[us]);
  }

  public List<String> siteIds() {
    return siteIds;
  }

  public List<String> generationIds() {
    return generationIds;
  }

  public Placement placement(int us) {
    return PLACEMENTS[placement[us]];
  }

  /** Training job, flex job, inference service or reservation id; -1 for unplaced capacity and maintenance. */
  public int workload(int us) {
    return workload[us];
  }

  /** First UltraServer of this UltraServer's workload: all chips of a job share its randomness. */
  public int workloadFirstUltraserver(int us) {
    return workloadFirstUs[us];
  }

  public int workloadCount() {
    return workloads;
  }

  /** The tenants of the fleet config, in its order. */
  public List<String> tenantIds() {
    return tenantIds;
  }

  /** Index into {@link #tenantIds()} of the workload's tenant. */
  public int tenantIndexOf(int workload) {
    return workloadTenant[workload];
  }

  public String tenantOf(int workload) {
    return tenantIds.get(workloadTenant[workload]);
  }

  /** The workload's placement: what it was made from (a reservation is a held RESERVED_IDLE block). */
  public Placement placementOf(int workload) {
    return PLACEMENTS[workloadPlacement[workload]];
  }

  /** The workload's name, its kind and id: train-00017, serve-00003, flex-00042, resv-00007. */
  public String workloadName(int workload) {
    String kind = switch (placementOf(workload)) {
      case TRAINING -> "train";
      case INFERENCE -> "serve";
      case FLEX -> "flex";
      default -> "resv";
    };
    return String.format(java.util.Locale.ROOT, "%s-%05d", kind, workload);
  }

  /** UltraServers per placement kind, for logs and docs. */
  public Map<Placement, Integer> placementCounts() {
    Map<Placement, Integer> counts = new java.util.EnumMap<>(Placement.class);
    for (byte p : placement) counts.merge(PLACEMENTS[p], 1, Integer::sum);
    return counts;
  }

  /** UltraServers of one shard: shard i of n takes a contiguous, disjoint range; the n ranges cover the fleet. */
  public int[] shardRange(int shard, int shards) {
    int from = (int) ((long) usCount * shard / shards);
    int to = (int) ((long) usCount * (shard + 1) / shards);
    return new int[] {from, to};
  }
}
