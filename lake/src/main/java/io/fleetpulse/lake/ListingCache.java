package io.fleetpulse.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Partition listings kept between queries, for a long-lived reader (the query endpoint) over a lake of thousands of
 * partitions: a partition is listed again only when its folder changed. Every change the job or maintenance makes
 * to a partition is an entry created, renamed or deleted in its folder (never a file rewritten in place), which sets
 * the folder's modification time; but that time has the kernel's clock granularity, so a listing is only trusted
 * while the folder's time is older than {@link #SETTLED_MS} before the listing was taken: a change after it would
 * show as a newer time. A folder changed more recently is listed again every time until it settles.
 */
public final class ListingCache {

  static final long SETTLED_MS = 2_000;

  private record Entry(PartitionListing listing, FileTime modified, long listedAtMs) {}

  private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private long listed;

  public ListingCache() {
    this(System::currentTimeMillis);
  }

  ListingCache(LongSupplier clock) {
    this.clock = clock;
  }

  /** One listing of each partition of the table, reusing those whose folder has not changed. */
  public List<PartitionListing> listings(Path root, String table) {
    List<PartitionListing> out = new ArrayList<>();
    for (Partition p : LakeFiles.partitions(root, table)) out.add(listing(p));
    return out;
  }

  PartitionListing listing(Partition p) {
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(p.dir());
    } catch (IOException e) {
      entries.remove(p.dir()); // gone (retired) or unreadable: listed afresh, as empty if gone
      return PartitionListing.of(p);
    }
    Entry e = entries.get(p.dir());
    if (e != null && e.modified().equals(modified) && modified.toMillis() < e.listedAtMs() - SETTLED_MS) {
      return e.listing();
    }
    long now = clock.getAsLong();
    PartitionListing fresh = PartitionListing.of(p);
    synchronized (this) {
      listed++;
    }
    entries.put(p.dir(), new Entry(fresh, modified, now));
    return fresh;
  }

  /** How many partition folders were listed (not served from the cache): for tests. */
  synchronized long listed() {
    return listed;
  }
}
