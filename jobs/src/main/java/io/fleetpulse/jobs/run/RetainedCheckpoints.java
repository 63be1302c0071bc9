package io.fleetpulse.jobs.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The checkpoints and savepoints a job left under its checkpoint directory, on any Flink filesystem: retained
 * checkpoints in {@code <dir>/<job id>/chk-<n>/}, savepoints in {@code <dir>/savepoints/savepoint-...}. Only complete
 * ones count: Flink writes {@code _metadata} last, so a checkpoint cut short by a crash has none.
 */
public final class RetainedCheckpoints {

  static final String METADATA = "_metadata";

  private RetainedCheckpoints() {}

  /** The newest complete checkpoint or savepoint under {@code dir}, or null when there is none. */
  public static String newest(String dir) {
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem();
      if (!fs.exists(root)) return null;
      Newest newest = new Newest();
      for (FileStatus child : list(fs, root)) {
        if (!child.isDir()) continue;
        for (FileStatus point : list(fs, child.getPath())) {
          String name = point.getPath().getName();
          if (point.isDir() && (name.startsWith("chk-") || name.startsWith("savepoint-"))) newest.consider(fs, point);
        }
      }
      return newest.path;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoints under " + dir, e);
    }
  }

  private static FileStatus[] list(FileSystem fs, Path p) throws IOException {
    FileStatus[] s = fs.listStatus(p);
    return s == null ? new FileStatus[0] : s;
  }

  private static final class Newest {
    String path;
    long time = Long.MIN_VALUE;

    void consider(FileSystem fs, FileStatus point) throws IOException {
      Path metadata = new Path(point.getPath(), METADATA);
      if (!fs.exists(metadata)) return;
      long t = fs.getFileStatus(metadata).getModificationTime();
      if (t > time) {
        time = t;
        path = point.getPath().toString();
      }
    }
  }
}
