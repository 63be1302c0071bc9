package io.fleetpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.Tables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fleetpulse lake ...} as a user runs it: what each pass did on stderr, the status table on stdout. */
class LakeCommandTest {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = LakeCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void compactPrintsEachPartitionAndASummaryAndStatusCountsFilesPerPartition() throws Exception {
    TestLake lake = new TestLake(dir);
    lake.hour(Tables.CHIP_TELEMETRY, 0, 9, 20);
    lake.hour(Tables.CHIP_TELEMETRY, 1, 3, 20);

    Run before = run("status", "--data", dir.toString(), "--each-partition");
    assertThat(before.exit()).isZero();
    assertThat(before.out()).containsPattern("chip_telemetry\\s+2\\s+12\\s+9\\s");

    Run compact = run("compact", "--data", dir.toString(), "--job-stopped", "--lake-grace", "0s");
    assertThat(compact.exit()).as(compact.err()).isZero();
    assertThat(compact.err()).contains("chip_telemetry/date=2026-03-01/hour=00: 9 files to 1, 180 rows")
        .contains("lake: 2 partitions compacted (12 files to 2, 240 rows");

    Run after = run("status", "--data", dir.toString());
    assertThat(after.out()).containsPattern("chip_telemetry\\s+2\\s+2\\s+1\\s");
    assertThat(lake.read(Tables.CHIP_TELEMETRY)).isEqualTo(lake.expected(Tables.CHIP_TELEMETRY));
  }

  @Test
  void aCorruptPartitionExitsNonZeroNamingIt() throws Exception {
    TestLake lake = new TestLake(dir);
    lake.hour(Tables.CHIP_TELEMETRY, 0, 2, 5);
    Files.writeString(lake.partitionDir(Tables.CHIP_TELEMETRY, 0).resolve("part-bad.parquet"), "junk");

    Run compact = run("maintain", "--data", dir.toString(), "--job-stopped");
    assertThat(compact.exit()).isEqualTo(1);
    assertThat(compact.err()).contains("problem: chip_telemetry/date=2026-03-01/hour=00: left as it was");
  }

  @Test
  void helpNamesEverySubcommandAndTheirFlags() {
    assertThat(run("--help").out()).contains("status", "compact", "retain", "maintain");
    assertThat(run("maintain", "--help").out()).contains("--data", "--retention", "--seal-after", "--lake-grace",
        "--job-stopped", "--compact-file-size", "--lake-memory");
  }
}
