package io.fleetpulse.jobs.carbon;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.GridIntensity;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every bad grid record becomes a dead letter with its reason; a good one an hour of figures. */
class GridIntensityDecoderTest {

  static final GridIntensityDecoder DECODER = new GridIntensityDecoder(Set.of("us-in", "us-pa"));

  static byte[] record(Consumer<GridIntensity> change) {
    GridIntensity g = GridIntensity.newBuilder().setSite("us-in").setHourStart(Instant.parse("2026-11-25T14:00:00Z"))
        .setLocationGPerKwh(400).setGridCfeShare(0.3).setResidualGPerKwh(450).setContractedCfeShare(0.2)
        .setSource("test").build();
    change.accept(g);
    return AvroCodec.GRID_INTENSITY.encode(g);
  }

  static GridInput decode(byte[] value) {
    return DECODER.decode("grid", 0, 7, null, value);
  }

  @Test
  void aGoodRecordIsAnHour() {
    GridInput in = decode(record(g -> {}));
    assertThat(in.deadLetter).isNull();
    assertThat(in.grid.site).isEqualTo("us-in");
    assertThat(in.grid.hourStart).isEqualTo(Instant.parse("2026-11-25T14:00:00Z").toEpochMilli());
    assertThat(in.grid.contracted()).isEqualTo(0.2);
    assertThat(decode(record(g -> g.setContractedCfeShare(null))).grid.contracted()).isNull();
  }

  @Test
  void badRecordsAreDeadLettersWithTheirReason() {
    assertThat(decode(new byte[0]).deadLetter.reason).isEqualTo(DeadLetterReason.EMPTY);
    assertThat(decode("x".getBytes()).deadLetter.reason).isEqualTo(DeadLetterReason.NOT_AVRO);
    assertThat(decode(record(g -> g.setSite("mars-1"))).deadLetter.reason).isEqualTo(DeadLetterReason.UNKNOWN_SITE);
    for (Consumer<GridIntensity> bad : java.util.List.<Consumer<GridIntensity>>of(
        g -> g.setLocationGPerKwh(Double.NaN), g -> g.setLocationGPerKwh(-1), g -> g.setResidualGPerKwh(1e6),
        g -> g.setGridCfeShare(1.5), g -> g.setContractedCfeShare(Double.NaN),
        g -> g.setHourStart(Instant.parse("2026-11-25T14:30:00Z")))) {
      GridInput in = decode(record(bad));
      assertThat(in.deadLetter.reason).as(in.deadLetter.detail).isEqualTo(DeadLetterReason.OUT_OF_RANGE);
      assertThat(in.deadLetter.sourceOffset).isEqualTo(7);
    }
  }
}
