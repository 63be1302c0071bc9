package io.fleetpulse.model;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The generator's fast path: {@link FleetModel#sample} for a range of chips, tick by tick, with whatever chips share
 * computed once instead of once per chip. Same bits as the model (TickSamplerTest holds them byte-identical over
 * configs, shards, midnights, daylight-saving changes and driver reloads), at a fraction of the cost.
 *
 * <p>What is cached, and for how long: per site and tick, the local-time values (flex day, inference load); per
 * site and UTC hour, the renewable share; per UltraServer and tick, what it runs, its job's or service's level, its
 * checkpoint and power cap; per chip, its phase, straggler flag and ECC rate; per chip and UTC day, its silent
 * episodes and ECC burst state. Nothing is allocated per sample.
 *
 * <p>One instance per thread. Call {@link #tick(long)} before sampling a tick; ticks may come in any order.
 */
public final class TickSampler {

  private static final Activity[] ACTIVITIES = Activity.values();
  private static final byte SENDS_NOTHING = -1;
  private static final byte TRAINING = (byte) Activity.TRAINING.ordinal();
  private static final byte INFERENCE = (byte) Activity.INFERENCE.ordinal();
  private static final long NONE = Long.MAX_VALUE;

  private final FleetModel model;
  private final FleetLayout layout;
  private final FleetConfig.Faults faults;
  private final int chipFrom;
  private final int chipTo;
  private final int usFrom;
  private final int chipsPerUs;
  private final long intervalMs;
  private final long reloadPeriodMs;
  private final long eccBurstSize;

  private long tick;
  private long t;
  private long day = Long.MIN_VALUE;
  private long hour = Long.MIN_VALUE;

  private final boolean[] flexDay;
  private final double[] inferenceLoad;
  private final double[] renewableShare;

  private final byte[] activity;
  private final int[] workloadOut;
  private final boolean[] checkpoint;
  private final double[] level;
  private final double[] capW;
  private final double[] maxUtilization;
  private final long[] capStarts; // two per UltraServer: the episodes of yesterday and today (UTC)
  private final long capLengthMs;

  private final int[] phase;
  private final boolean[] straggler;
  private final double[] eccRate;
  private final int[] eccDay;
  private final long[] eccReload;
  private final int[] eccBurstsBefore;
  private final int[] eccUncorrectedBefore;
  private final long[] eccTodayAt;
  private final boolean[] eccTodayUncorrected;

  private final long silentLengthMs;
  private int[] silentChips = new int[16];
  private long[] silentStarts = new long[16];
  private int silentEpisodes;
  private final BitSet silentNow = new BitSet();

  /** Samples chips [chipFrom, chipTo) of the model's fleet. */
  public TickSampler(FleetModel model, int chipFrom, int chipTo) {
    this.model = model;
    this.layout = model.layout();
    if (chipFrom < 0 || chipTo > layout.chips() || chipFrom > chipTo) {
      throw new IllegalArgumentException(
          "chip range [" + chipFrom + ", " + chipTo + ") is not inside the fleet's " + layout.chips() + " chips");
    }
    this.faults = model.config().faults();
    this.chipFrom = chipFrom;
    this.chipTo = chipTo;
    this.chipsPerUs = layout.chipsPerUltraserver();
    this.usFrom = chipFrom / chipsPerUs;
    int usCount = chipTo == chipFrom ? 0 : (chipTo - 1) / chipsPerUs - usFrom + 1;
    this.intervalMs = model.intervalMs();
    this.reloadPeriodMs = model.driverReloadPeriodMs();
    this.eccBurstSize = faults.eccBurstSize();
    this.capLengthMs = faults.powerCapDuration().toMillis();
    this.silentLengthMs = faults.silentDuration().toMillis();

    int sites = layout.siteIds().size();
    this.flexDay = new boolean[sites];
    this.inferenceLoad = new double[sites];
    this.renewableShare = new double[sites];

    this.activity = new byte[usCount];
    this.workloadOut = new int[usCount];
    this.checkpoint = new boolean[usCount];
    this.level = new double[usCount];
    this.capW = new double[usCount];
    this.maxUtilization = new double[usCount];
    this.capStarts = new long[2 * usCount];

    int chips = chipTo - chipFrom;
    this.phase = new int[chips];
    this.straggler = new boolean[chips];
    this.eccRate = new double[chips];
    this.eccDay = new int[chips];
    this.eccReload = new long[chips];
    this.eccBurstsBefore = new int[chips];
    this.eccUncorrectedBefore = new int[chips];
    this.eccTodayAt = new long[chips];
    this.eccTodayUncorrected = new boolean[chips];
    Arrays.fill(eccDay, Integer.MIN_VALUE);
    for (int c = 0; c < chips; c++) {
      int chip = chipFrom + c;
      phase[c] = (int) model.phase(chip);
      straggler[c] = model.isStraggler(chip);
      eccRate[c] = model.eccRate(chip);
    }
  }

  public int chipFrom() {
    return chipFrom;
  }

  public int chipTo() {
    return chipTo;
  }

  /** Prepares everything the chips of this tick share. */
  public void tick(long tick) {
    this.tick = tick;
    this.t = tick * intervalMs;
    long today = Math.floorDiv(t, FleetModel.DAY_MS);
    if (today != day) {
      day = today;
      startDay();
    }
    long thisHour = Math.floorDiv(t, FleetModel.HOUR_MS);
    for (int s = 0; s < flexDay.length; s++) {
      flexDay[s] = model.isFlexDay(s, t);
      inferenceLoad[s] = model.inferenceLoad(s, t);
      if (thisHour != hour) renewableShare[s] = model.renewableShare(s, thisHour);
    }
    hour = thisHour;
    prepareUltraservers();
    markSilentChips();
  }

  private void prepareUltraservers() {
    int lastJob = Integer.MIN_VALUE;
    boolean jobCheckpoint = false;
    double jobLevel = 0;
    for (int i = 0; i < activity.length; i++) {
      int us = usFrom + i;
      Placement placement = layout.placement(us);
      if (placement == Placement.MAINTENANCE) {
        activity[i] = SENDS_NOTHING;
        continue;
      }
      int site = layout.siteIndex(us);
      int workload = layout.workload(us);
      Activity a = switch (placement) {
        case TRAINING -> Activity.TRAINING;
        case INFERENCE -> Activity.INFERENCE;
        case FLEX -> flexDay[site] ? Activity.INFERENCE : Activity.TRAINING;
        default -> Activity.RESERVED_IDLE;
      };
      activity[i] = (byte) a.ordinal();
      workloadOut[i] = workload;
      if (a == Activity.TRAINING) {
        // The UltraServers of a job are neighbours: compute the job's values once for all of them.
        if (workload != lastJob) {
          lastJob = workload;
          jobCheckpoint = model.inCheckpoint(workload, t);
          jobLevel = model.jobLevel(workload, tick);
        }
        checkpoint[i] = jobCheckpoint;
        level[i] = jobLevel;
      } else if (a == Activity.INFERENCE) {
        level[i] = model.serviceLevel(inferenceLoad[site], us, tick);
      }
      boolean capped = inEpisode(capStarts[2 * i], capLengthMs) || inEpisode(capStarts[2 * i + 1], capLengthMs);
      FleetConfig.Generation gen = model.generationOf(us);
      capW[i] = model.capW(gen, capped);
      maxUtilization[i] = model.maxUtilization(gen, capped);
    }
  }

  /** The day's episodes (yesterday's may run past midnight), as {@link FleetModel}'s daily episodes pick them. */
  private void startDay() {
    boolean caps = faults.powerCapShare() > 0 && capLengthMs > 0;
    for (int i = 0; i < activity.length; i++) {
      capStarts[2 * i] = caps ? model.powerCapEpisodeStart(usFrom + i, day - 1) : FleetModel.NO_EPISODE;
      capStarts[2 * i + 1] = caps ? model.powerCapEpisodeStart(usFrom + i, day) : FleetModel.NO_EPISODE;
    }
    silentEpisodes = 0;
    if (faults.silentShare() > 0 && silentLengthMs > 0) {
      for (int chip = chipFrom; chip < chipTo; chip++) {
        for (long d = day - 1; d <= day; d++) {
          long start = model.silentEpisodeStart(chip, d);
          if (start != FleetModel.NO_EPISODE) addSilentEpisode(chip - chipFrom, start);
        }
      }
    }
  }

  private void addSilentEpisode(int c, long start) {
    if (silentEpisodes == silentChips.length) {
      silentChips = Arrays.copyOf(silentChips, 2 * silentEpisodes);
      silentStarts = Arrays.copyOf(silentStarts, 2 * silentEpisodes);
    }
    silentChips[silentEpisodes] = c;
    silentStarts[silentEpisodes++] = start;
  }

  private void markSilentChips() {
    silentNow.clear();
    for (int e = 0; e < silentEpisodes; e++) {
      if (inEpisode(silentStarts[e], silentLengthMs)) silentNow.set(silentChips[e]);
    }
  }

  private boolean inEpisode(long start, long length) {
    return start != FleetModel.NO_EPISODE && t >= start && t < start + length;
  }

  /**
   * Fills {@code out} with the chip's sample at the current tick and returns true, or returns false when the chip
   * sends nothing then; exactly what {@code model.sample(chip, tick, out)} does. The chip must be in this
   * sampler's range.
   */
  public boolean sample(int chip, Sample out) {
    int c = chip - chipFrom;
    int us = chip / chipsPerUs;
    int i = us - usFrom;
    byte a = activity[i];
    if (a == SENDS_NOTHING || silentNow.get(c)) return false;
    long noise = model.chipTickHash(chip, tick);
    double demand;
    if (a == TRAINING) {
      demand = checkpoint[i] ? model.checkpointDemand(noise) : model.trainingDemand(level[i], noise, straggler[c]);
    } else if (a == INFERENCE) {
      demand = model.inferenceDemand(level[i], noise);
    } else {
      demand = model.idleDemand(noise);
    }
    int site = layout.siteIndex(us);
    model.fill(out, chip, us, site, layout.generationIndex(us), workloadOut[i], ACTIVITIES[a], t + phase[c], demand,
        capW[i], maxUtilization[i], noise, renewableShare[site]);
    eccCounters(c, chip, out);
    return true;
  }

  /**
   * The model's ECC counters from a per-chip state that holds for one UTC day between driver reloads: the bursts
   * of earlier days are counted once; today's burst counts from its moment on.
   */
  private void eccCounters(int c, int chip, Sample out) {
    if (eccDay[c] != day || t < eccReload[c] || t - eccReload[c] >= reloadPeriodMs) refreshEcc(c, chip);
    boolean burstToday = eccTodayAt[c] <= t;
    long bursts = eccBurstsBefore[c] + (burstToday ? 1 : 0);
    out.eccCorrectedTotal = FleetModel.eccBackground(eccRate[c], eccReload[c], t) + bursts * eccBurstSize;
    out.eccUncorrectedTotal = eccUncorrectedBefore[c] + (burstToday && eccTodayUncorrected[c] ? 1 : 0);
  }

  private void refreshEcc(int c, int chip) {
    long lastReload = model.lastDriverReload(chip, t);
    int before = 0;
    int uncorrected = 0;
    for (long d = Math.floorDiv(lastReload, FleetModel.DAY_MS); d < day; d++) {
      long at = model.eccBurstAt(chip, d);
      if (at != FleetModel.NO_EPISODE && at > lastReload) {
        before++;
        if (model.eccBurstUncorrected(chip, d)) uncorrected++;
      }
    }
    long at = model.eccBurstAt(chip, day);
    boolean today = at != FleetModel.NO_EPISODE && at > lastReload;
    eccDay[c] = (int) day;
    eccReload[c] = lastReload;
    eccBurstsBefore[c] = before;
    eccUncorrectedBefore[c] = uncorrected;
    eccTodayAt[c] = today ? at : NONE;
    eccTodayUncorrected[c] = today && model.eccBurstUncorrected(chip, day);
  }
}
