package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.schema.AvroCodec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every kind of hostile record, as bytes, through the same path a Kafka record takes ({@link Intake}): each is
 * skipped under its reason, the board shows exactly the figures of the good records alone, and nothing stops it.
 */
class HostileRecordsTest {

  /** The board as the Kafka thread has it, with its log lines caught. */
  static final class Fixture {
    final StreamStatus status = new StreamStatus();
    final FleetBoard board = new FleetBoard(60, 200, FleetBounds.defaults(), status);
    final List<String> log = new ArrayList<>();
    final Intake intake = new Intake(board, status, new SkipLog((r, line, e) -> log.add(line), System::nanoTime));
    int offset;

    void write(List<HostileRecords.Written> records) {
      for (HostileRecords.Written w : records) {
        String where = "test/0/" + offset++;
        if (w.topic() == HostileRecords.Topic.ALERTS) intake.alert(w.value(), where, Arrival.now());
        else intake.window(w.value(), where, Arrival.now());
      }
    }

    /** Every window and alert shown, as the page gets them. */
    JsonNode shown() {
      String json = "{\"windows\":" + Json.write(board.drainChangedWindows()) + ",\"alerts\":"
          + Json.write(board.drainChangedAlerts()) + "}";
      return EventRecorder.parse(json);
    }
  }

  @Test
  void everyHostileRecordIsSkippedUnderItsReasonAndTheFiguresAreThoseOfTheGoodRecordsAlone() {
    List<HostileRecords.Case> cases = HostileRecords.cases();
    Fixture clean = new Fixture();
    clean.write(HostileRecords.good());
    Fixture attacked = new Fixture();
    HostileRecords.batches(cases).forEach(attacked::write);

    JsonNode expected = clean.shown();
    assertThat(expected.get("windows")).hasSize(HostileRecords.WINDOWS);
    SameFigures.assertSame(attacked.shown(), expected);
    // The tenant view too: the good tenants' window, none of the hostile tenants.
    JsonNode tenants = EventRecorder.parse(Json.write(clean.board.drainTenantView()));
    assertThat(tenants.get("windowStart").asLong()).isEqualTo(TestRecords.T0 + HostileRecords.TENANT_WINDOW * TestRecords.MINUTE);
    assertThat(tenants.get("byCost")).hasSize(2);
    SameFigures.assertSame(EventRecorder.parse(Json.write(attacked.board.drainTenantView())), tenants);
    assertThat(attacked.board.tenantsCounted()).isEqualTo(2);

    Map<SkipReason, Long> byReason = new EnumMap<>(SkipReason.class);
    cases.forEach(c -> byReason.merge(c.reason(), 1L, Long::sum));
    for (SkipReason r : SkipReason.values()) {
      assertThat(attacked.status.skippedCount(r)).as("skipped as %s", r.key()).isEqualTo(byReason.getOrDefault(r, 0L));
    }
    assertThat(attacked.status.records()).isEqualTo(HostileRecords.good().size() + cases.size());
    assertThat(clean.status.skippedCount()).isZero();
  }

  static Stream<HostileRecords.Case> cases() {
    return HostileRecords.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachKindAloneIsSkippedUnderItsReasonWithAMessageOfOneShortLine(HostileRecords.Case c) {
    Fixture f = new Fixture();
    List<List<HostileRecords.Written>> batches = HostileRecords.batches(List.of(c));
    f.write(batches.get(0));
    if (c.reason() == SkipReason.DUPLICATE) f.write(batches.get(1));
    f.board.drainChangedWindows();
    long before = f.status.records();

    f.write(List.of(new HostileRecords.Written(c.topic(), "hostile", c.value())));

    assertThat(f.status.records()).isEqualTo(before + 1);
    assertThat(f.status.skippedCount()).isEqualTo(1);
    assertThat(f.status.skippedCount(c.reason())).isEqualTo(1);
    assertThat(f.board.drainChangedWindows()).as("windows changed by it").isEmpty();
    assertThat(f.log).hasSize(1);
    // A 600 KB field must not become a 600 KB log line, nor a newline in the data a forged log line.
    assertThat(f.log.get(0)).hasSizeLessThan(Intake.MESSAGE_CHARS + 200).doesNotContain("\n")
        .contains(c.reason().key());
  }

  @Test
  void theNewestWindowAndItsEndAreTheStreamsNotTheRecordAhead() {
    Fixture f = new Fixture();
    List<List<HostileRecords.Written>> batches = HostileRecords.batches(HostileRecords.cases());
    batches.forEach(f::write);
    long newestGood = TestRecords.T0 + HostileRecords.WINDOWS * TestRecords.MINUTE;
    assertThat(f.board.newestWindowEnd()).isEqualTo(newestGood);
    assertThat(f.status.view(0, 1, null).latestWindowEnd()).isEqualTo(newestGood);
  }

  @Test
  void aFailureOfTheDashboardItselfSkipsTheRecordAndReturns() {
    StreamStatus status = new StreamStatus();
    List<Throwable> logged = new ArrayList<>();
    // No board at all: every record fails inside the dashboard's own code.
    Intake broken = new Intake(null, status, new SkipLog((r, line, e) -> logged.add(e), System::nanoTime));
    byte[] good = AvroCodec.WINDOW_METRICS.encode(HostileRecords.goodUltraserver(0, 1));

    broken.window(good, "test/0/0", Arrival.now());
    broken.window(good, "test/0/1", Arrival.now());

    assertThat(status.skippedCount(SkipReason.INTERNAL)).isEqualTo(2);
    assertThat(logged).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(NullPointerException.class));
  }
}
