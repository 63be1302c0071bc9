package io.fleetpulse.runner;

import io.fleetpulse.model.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The run a demo folder holds: what must be the same for a demo started again on the folder to carry it on (the fleet
 * and start, so every sample is the same; the topics' partitions and the job's shape, so its checkpoint restores),
 * and whether it finished. Speedup, ports and checkpoint interval may change between the two.
 *
 * @param runId the generator's run id: the fleet config (seed included) and start
 * @param fleet the fleet flags as given, for the message when they differ
 */
record DemoRun(String runId, String fleet, Instant start, Duration duration, int partitions, boolean rawArchive,
    boolean complete) {

  static final int FORMAT = 2;

  DemoRun completed() {
    return new DemoRun(runId, fleet, start, duration, partitions, rawArchive, true);
  }

  /** What differs between the run held and the one asked for; empty when the asked one carries the held one on. */
  List<String> differences(DemoRun asked) {
    List<String> d = new ArrayList<>();
    if (!fleet.equals(asked.fleet)) d.add("fleet '" + fleet + "', now '" + asked.fleet + "'");
    else if (!runId.equals(asked.runId)) d.add("the fleet config's contents changed");
    if (!start.equals(asked.start)) d.add("start " + start + ", now " + asked.start);
    if (!String.valueOf(duration).equals(String.valueOf(asked.duration))) {
      d.add("duration " + text(duration) + ", now " + text(asked.duration));
    }
    if (partitions != asked.partitions) d.add("partitions " + partitions + ", now " + asked.partitions);
    if (rawArchive != asked.rawArchive) d.add("raw archive " + rawArchive + ", now " + asked.rawArchive);
    return d;
  }

  private static String text(Duration d) {
    return d == null ? "until stopped" : Durations.format(d);
  }

  Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("format", Integer.toString(FORMAT));
    p.setProperty("run_id", runId);
    p.setProperty("fleet", fleet);
    p.setProperty("start", start.toString());
    p.setProperty("duration", duration == null ? "" : Durations.format(duration));
    p.setProperty("partitions", Integer.toString(partitions));
    p.setProperty("raw_archive", Boolean.toString(rawArchive));
    p.setProperty("complete", Boolean.toString(complete));
    return p;
  }

  /** The run of a manifest, or null when it is from a FleetPulse that kept none (then only --fresh can go on). */
  static DemoRun from(Properties p) {
    if (!Integer.toString(FORMAT).equals(p.getProperty("format"))) return null;
    String duration = p.getProperty("duration", "");
    return new DemoRun(p.getProperty("run_id"), p.getProperty("fleet"), Instant.parse(p.getProperty("start")),
        duration.isEmpty() ? null : Durations.parse(duration), Integer.parseInt(p.getProperty("partitions")),
        Boolean.parseBoolean(p.getProperty("raw_archive")), Boolean.parseBoolean(p.getProperty("complete")));
  }
}
