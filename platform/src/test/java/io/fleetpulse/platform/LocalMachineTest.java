package io.fleetpulse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMachineTest {

  @TempDir Path dir;

  @Test
  void deletesATreeAndAMissingOneIsAlreadyDeleted() throws Exception {
    Path root = dir.resolve("a");
    Files.createDirectories(root.resolve("b/c"));
    Files.writeString(root.resolve("b/c/file"), "x");
    Files.writeString(root.resolve("top"), "y");
    LocalMachine.deleteRecursively(root);
    assertThat(root).doesNotExist();
    LocalMachine.deleteRecursively(root);
    assertThat(dir).exists();
  }

  @Test
  void aTakenPortIsReplacedByAFreeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = LocalMachine.freePortOr(taken.getLocalPort());
      assertThat(port).isNotEqualTo(taken.getLocalPort()).isPositive();
    }
    int free = LocalMachine.freePort();
    assertThat(LocalMachine.freePortOr(free)).isEqualTo(free);
  }
}
