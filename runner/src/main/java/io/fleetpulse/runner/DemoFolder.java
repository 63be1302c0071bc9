package io.fleetpulse.runner;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The demo's data folder: tables at its top (what {@code fleetpulse query --data} reads), the broker's log in
 * {@code _kafka/}, checkpoints in {@code _checkpoints/}, and the run it holds in {@value #MANIFEST}. Everything a run
 * needs to resume after a crash stays here; only {@code --fresh} clears it. One demo at a time: a lock held for the
 * demo's life (released by the OS however the process ends) refuses a second one. The demo never clears a folder it
 * did not make.
 */
final class DemoFolder implements AutoCloseable {

  static final String MANIFEST = ".fleetpulse-demo";
  static final String LOCK = ".fleetpulse-demo.lock";

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DemoFolder(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens (or creates) the folder and takes its lock; refuses a folder in use, or one the demo did not make. */
  static DemoFolder open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try {
      if (Files.isDirectory(root) && !isEmpty(root) && !Files.exists(root.resolve(MANIFEST))) {
        throw new IllegalArgumentException("--data " + root + " is not empty and was not made by the demo; choose an "
            + "empty or new folder");
      }
      Files.createDirectories(root);
      FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalArgumentException("--data " + root + " is in use by another demo; stop it first, or give "
            + "this one another --data");
      }
      return new DemoFolder(root, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + root, e);
    }
  }

  Path root() {
    return root;
  }

  Path kafkaLogs() {
    return root.resolve("_kafka");
  }

  /** The run this folder holds, or null when it holds none. */
  DemoRun previousRun() {
    Path manifest = root.resolve(MANIFEST);
    if (!Files.exists(manifest)) return null;
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(manifest)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
    return DemoRun.from(p);
  }

  void write(DemoRun run) {
    Path manifest = root.resolve(MANIFEST);
    Path tmp = root.resolve(MANIFEST + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp)) {
      run.toProperties().store(out, "The run ./fleetpulse demo keeps in this folder: it resumes it after a crash; "
          + "--fresh clears the folder");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + manifest, e);
    }
    try {
      Files.move(tmp, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + manifest, e);
    }
  }

  /** Deletes everything the folder holds but its lock: tables, broker log, checkpoints, the run. */
  void clear() {
    try (Stream<Path> entries = Files.list(root)) {
      for (Path p : entries.toList()) {
        if (!p.getFileName().toString().equals(LOCK)) deleteTree(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + root, e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try {
      io.fleetpulse.platform.LocalMachine.deleteRecursively(p);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the process is ending; the OS drops the lock anyway
    }
  }
}
