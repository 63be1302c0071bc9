package io.fleetpulse.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File steps that survive a crash in the order they were made: a file's bytes are forced before it is renamed,
 * and the folder after a rename, so that after a power loss a later step is never there without an earlier one.
 */
final class Durable {

  private Durable() {}

  static void force(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
      c.force(true);
    }
  }

  /** Forces a folder's entries (Linux and macOS allow opening a folder read-only for this; others ignore it). */
  static void forceDir(Path dir) throws IOException {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) throw e;
    }
  }

  /** Writes {@code text} to a hidden temp file beside {@code target}, forces it, renames it over, forces the folder. */
  static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    force(tmp);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDir(target.getParent());
  }

  /** Renames {@code from} to {@code to} atomically (same filesystem), creating {@code to}'s folder; false if gone. */
  static boolean move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
