package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkipLogTest {

  private final List<String> lines = new ArrayList<>();
  private long nanos;
  private final SkipLog log = new SkipLog((reason, line, cause) -> lines.add(line), () -> nanos);

  @Test
  void aFloodOfBadRecordsLogsAFewLinesThenOneEveryThirtySeconds() {
    for (int i = 1; i <= 10_000; i++) {
      log.skipped(SkipReason.NOT_AVRO, i, "t/0/" + i, "junk", null);
      nanos += 100_000; // 10,000 records a second
    }
    assertThat(lines).hasSize(SkipLog.FIRST);

    nanos += SkipLog.EVERY_NANOS;
    log.skipped(SkipReason.NOT_AVRO, 10_001, "t/0/10001", "junk", null);
    assertThat(lines).hasSize(SkipLog.FIRST + 1);
    assertThat(lines.get(SkipLog.FIRST)).contains("t/0/10001", "10,001 skipped as not_avro", "9,990 more since");

    // Another reason has lines of its own.
    log.skipped(SkipReason.AHEAD, 1, "t/1/0", "window far ahead", null);
    assertThat(lines).hasSize(SkipLog.FIRST + 2);
  }
}
