package io.fleetpulse.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak memory for the summaries of long runs: resident set (from /proc on Linux) and Java heap. */
public final class PeakMemory {

  private PeakMemory() {}

  public static String describe() {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) heap += pool.getPeakUsage().getUsed();
    }
    long rssKib = peakRssKib();
    String rss = rssKib > 0 ? String.format("peak RSS %,d MiB, ", rssKib / 1024) : "";
    return rss + String.format("peak heap %,d MiB (sum of pool peaks; max heap %,d MiB)", heap / (1024 * 1024),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  private static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
