package io.fleetpulse.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's data folder: tables at its top (what {@code fleetpulse query --data} reads), the broker's log in
 * {@code _kafka/}, checkpoints in {@code _checkpoints/}. A marker file says the demo owns it, so a new demo may
 * clear the last one's output, and never a folder of someone else's.
 */
final class DemoFolder {

  static final String MARKER = ".fleetpulse-demo";

  private final Path root;

  DemoFolder(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path kafkaLogs() {
    return root.resolve("_kafka");
  }

  /** Empties the folder of an earlier demo run, or creates it; refuses a non-empty folder the demo does not own. */
  boolean prepare() {
    try {
      boolean cleared = false;
      if (Files.isDirectory(root) && !isEmpty(root)) {
        if (!Files.exists(root.resolve(MARKER))) {
          throw new IllegalArgumentException("--data " + root + " is not empty and was not made by the demo; "
              + "choose an empty or new folder (the demo clears its folder at each start)");
        }
        try (Stream<Path> entries = Files.list(root)) {
          for (Path p : entries.toList()) deleteTree(p);
        }
        cleared = true;
      }
      Files.createDirectories(root);
      Files.writeString(root.resolve(MARKER), "Made by ./fleetpulse demo, which clears this folder when it starts.\n");
      return cleared;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + root, e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
