package io.fleetpulse.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One listing of a partition folder and what a reader sees from it. The rule, for each compaction marker:
 * <ul>
 *   <li>all its outputs listed: it is applied, and the files it replaced are not read (they may still be there
 *       during the grace period);</li>
 *   <li>otherwise it is pending (or dead): its outputs are not read, the files it replaces are.</li>
 * </ul>
 * A compacted file whose marker is not in the listing is not read either: the marker is written before the file
 * is renamed in, so a listing that raced with the rename (a directory listing is no snapshot) falls back to the
 * originals, which stay for the grace period. A partition holding {@value #RETIRED} is retired by retention: a
 * reader skips it whole. Everything else ending in {@code .parquet} and not hidden (the job's committed part files,
 * a late one included) is read.
 */
public final class PartitionListing {

  static final String RETIRED = "_retired.properties";

  private final Partition partition;
  private final Set<String> parquet;
  private final List<CompactionMarker> markers;
  private final boolean retired;

  private PartitionListing(Partition partition, Set<String> parquet, List<CompactionMarker> markers,
      boolean retired) {
    this.partition = partition;
    this.parquet = parquet;
    this.markers = markers;
    this.retired = retired;
  }

  /** Lists the partition folder once; a folder gone meanwhile (retention) lists as empty. */
  static PartitionListing of(Partition partition) {
    Set<String> parquet = new TreeSet<>();
    List<String> markerNames = new ArrayList<>();
    boolean retired = false;
    try (Stream<Path> entries = Files.list(partition.dir())) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (name.equals(RETIRED)) {
          retired = true;
        } else if (CompactionMarker.idOf(name) != null) {
          markerNames.add(name);
        } else if (isPart(name)) {
          parquet.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return new PartitionListing(partition, Set.of(), List.of(), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + partition.dir(), e);
    }
    List<CompactionMarker> markers = new ArrayList<>();
    for (String name : markerNames) {
      try {
        CompactionMarker m = CompactionMarker.read(partition.dir().resolve(name));
        if (m != null) markers.add(m);
      } catch (IOException | RuntimeException e) {
        // unreadable marker: as if absent, so its outputs stay unread and the originals are read
      }
    }
    return new PartitionListing(partition, parquet, List.copyOf(markers), retired);
  }

  /** A file a reader may read: a Parquet file, not hidden ({@code .part-*.inprogress}, temp files). */
  static boolean isPart(String name) {
    return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
  }

  public Partition partition() {
    return partition;
  }

  public boolean retired() {
    return retired;
  }

  /** Every Parquet file listed, read or not. */
  public Set<String> parquetFiles() {
    return parquet;
  }

  List<CompactionMarker> markers() {
    return markers;
  }

  boolean applied(CompactionMarker m) {
    return parquet.containsAll(m.outputs());
  }

  /** The files a reader reads, by name, sorted; none in a retired partition. */
  public List<String> visible() {
    if (retired) return List.of();
    Set<String> hidden = new HashSet<>();
    Set<String> vouched = new HashSet<>();
    for (CompactionMarker m : markers) {
      if (applied(m)) {
        hidden.addAll(m.replaced());
        vouched.addAll(m.outputs());
      } else {
        hidden.addAll(m.outputs());
      }
    }
    List<String> out = new ArrayList<>();
    for (String name : parquet) {
      if (hidden.contains(name)) continue;
      if (CompactionMarker.isOutputName(name) && !vouched.contains(name)) continue;
      out.add(name);
    }
    return out;
  }

  public List<Path> visiblePaths() {
    return visible().stream().map(partition.dir()::resolve).toList();
  }

  /** Replaced files still here (waiting for the grace period) or markers not applied: not to compact again yet. */
  boolean busy() {
    for (CompactionMarker m : markers) {
      if (!applied(m)) return true;
      for (String r : m.replaced()) if (parquet.contains(r)) return true;
    }
    return false;
  }
}
