package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.testing.ChildJvm;
import io.fleetpulse.testing.LakeEquality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash is normal: the demo killed with SIGKILL halfway and started again with the same command carries its run
 * on, and ends with a lake equal, row for row, to a run that was never killed, keeping every file it had committed.
 */
@Timeout(600)
class DemoRestartIT {

  static final Pattern PROGRESS = Pattern.compile("generator: [\\d,]+ samples, .*\\((\\d+)%\\)");

  @TempDir Path dir;

  static List<String> args(Path data) {
    return List.of("--chips", "4096", "--start", "2026-11-25T12:00:00Z", "--duration", "4m", "--speedup", "12",
        "--data", data.toString(), "--kafka-port", "0", "--web-port", "0", "--dashboard-port", "0", "--sql-port", "0",
        "--checkpoint-interval", "1s",
        // The part files the job committed must survive the restart as they are; compaction would replace them
        // (LakeMaintenanceDemoIT covers the demo with it).
        "--lake-interval", "0s");
  }

  @Test
  void aDemoKilledHalfwayAndStartedAgainEndsWithTheLakeOfARunNeverKilled() throws Exception {
    Path killed = dir.resolve("killed");
    ChildJvm first = DemoProcess.start("demo", dir.resolve("first.log"), args(killed));
    Awaitility.await("the demo halfway, with files committed").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!first.isAlive()) throw new AssertionError("the demo ended early:\n" + first.tail(40));
          return percentDone(first.log()) >= 40 && !DemoProcess.committedFiles(killed).isEmpty();
        });
    first.kill();
    List<Path> committedBeforeTheKill = DemoProcess.committedFiles(killed);

    ChildJvm again = DemoProcess.start("demo-again", dir.resolve("again.log"), args(killed));
    assertThat(again.awaitExit(Duration.ofMinutes(5))).as(again.tail(40)).isZero();
    String log = Files.readString(again.log());
    assertThat(log).contains("carrying on the run in", "the job restores from", "the generator carries on");
    assertThat(DemoProcess.committedFiles(killed)).containsAll(committedBeforeTheKill);

    Path clean = dir.resolve("clean");
    ChildJvm never = DemoProcess.start("demo-never-killed", dir.resolve("clean.log"), args(clean));
    assertThat(never.awaitExit(Duration.ofMinutes(5))).as(never.tail(40)).isZero();
    LakeEquality.assertEqual(clean, killed);

    // Once complete, the same command again changes nothing and says so.
    ChildJvm third = DemoProcess.start("demo-third", dir.resolve("third.log"), args(killed));
    assertThat(third.awaitExit(Duration.ofMinutes(2))).as(third.tail(40)).isZero();
    assertThat(Files.readString(third.log())).contains("is complete; --fresh starts it over");
    LakeEquality.assertEqual(clean, killed);
  }

  static int percentDone(Path log) throws Exception {
    int best = 0;
    for (String line : Files.readAllLines(log)) {
      Matcher m = PROGRESS.matcher(line);
      if (m.find()) best = Math.max(best, Integer.parseInt(m.group(1)));
    }
    return best;
  }
}
