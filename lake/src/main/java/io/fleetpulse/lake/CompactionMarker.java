package io.fleetpulse.lake;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What one compaction of a partition swaps: the files it writes ({@code outputs}) for the files they replace. Kept
 * in the partition folder as {@code _compaction-ID.properties}, written before the first output is renamed in, so a
 * reader's one listing of the folder tells which side to read (see {@link PartitionListing}); kept as long as an
 * output is there. {@code visibleAtMs} is when the outputs were (or are about to be) renamed in: the replaced
 * files are deleted a grace period after it, once no query that listed the folder before can still read them.
 */
record CompactionMarker(String id, List<String> outputs, List<String> replaced, long visibleAtMs) {

  static final String PREFIX = "_compaction-";
  static final String SUFFIX = ".properties";

  static String fileName(String id) {
    return PREFIX + id + SUFFIX;
  }

  /** The id of a marker file name, or null if the name is not a marker's. */
  static String idOf(String fileName) {
    if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) return null;
    return fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
  }

  /** The name of output {@code k} of compaction {@code id}: a committed-looking part file, so any reader reads it. */
  static String outputName(String id, int k) {
    return "part-compacted-" + id + "-" + k + ".parquet";
  }

  static boolean isOutputName(String fileName) {
    return fileName.startsWith("part-compacted-") && fileName.endsWith(".parquet");
  }

  CompactionMarker visibleAt(long ms) {
    return new CompactionMarker(id, outputs, replaced, ms);
  }

  String text() {
    Properties p = new Properties();
    p.setProperty("id", id);
    p.setProperty("outputs", String.join(",", outputs));
    p.setProperty("replaced", String.join(",", replaced));
    p.setProperty("visible_at_ms", Long.toString(visibleAtMs));
    StringWriter w = new StringWriter();
    try {
      p.store(w, "A compaction of this partition (fleetpulse lake): outputs replace the replaced files once all are "
          + "here");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  /** The marker in {@code file}, or null if it is gone (deleted after our listing) or not a whole marker. */
  static CompactionMarker read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return null;
    }
    String id = p.getProperty("id");
    String outputs = p.getProperty("outputs");
    String replaced = p.getProperty("replaced");
    String visible = p.getProperty("visible_at_ms");
    if (id == null || outputs == null || replaced == null || visible == null) return null;
    return new CompactionMarker(id, split(outputs), split(replaced), Long.parseLong(visible));
  }

  private static List<String> split(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }
}
