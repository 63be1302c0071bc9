package io.fleetpulse.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder trees and loopback ports: what local runs, the demo and the tests need of this machine. */
public final class LocalMachine {

  private LocalMachine() {}

  /** Deletes {@code root} and everything under it; a missing root is already deleted. */
  public static void deleteRecursively(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (NoSuchFileException gone) {
      // nothing to delete
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #deleteRecursively}, but what cannot be deleted is left behind (a temp folder, say). */
  public static void deleteQuietly(Path root) {
    try {
      deleteRecursively(root);
    } catch (UncheckedIOException e) {
      // left behind on purpose: the caller has nothing better to do with it
    }
  }

  /** A port free on {@code address} right now (the kernel's choice). */
  public static int freePort(InetAddress address) {
    try (ServerSocket s = new ServerSocket(0, 1, address)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on " + address, e);
    }
  }

  public static int freePort() {
    return freePort(InetAddress.getLoopbackAddress());
  }

  /** {@code preferred} if it is free on loopback (0 = any), else any free one. */
  public static int freePortOr(int preferred) {
    try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException busy) {
      return freePort();
    }
  }
}
