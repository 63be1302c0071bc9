package io.fleetpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.model.Activity;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.WorkloadKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChipSampleWriterTest {

  private final FleetModel model = new FleetModel(FleetConfigLoader.load(null,
      Map.of("fleet.chips", "6400", "fleet.generation_mix", "{trn2: 0.5, trn3: 0.5}")));

  @Test
  void activityNamesMatchTheAvroEnum() {
    assertThat(Arrays.stream(Activity.values()).map(Enum::name))
        .containsExactlyElementsOf(Arrays.stream(WorkloadKind.values()).map(Enum::name).limit(Activity.values().length).toList());
  }

  @Test
  void writesExactlyWhatAvroWrites() {
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    int compared = 0;
    int labelled = 0;
    for (int chip = 0; chip < 6400; chip += 37) {
      for (long tick = 176_400_000L; tick < 176_408_640L; tick += 1013) {
        if (!model.sample(chip, tick, s)) continue;
        byte[] fast = writer.encode(s);
        ChipSample viaAvro = toAvro(s);
        assertThat(fast).isEqualTo(AvroCodec.CHIP_SAMPLE.encode(viaAvro));
        assertThat(AvroCodec.CHIP_SAMPLE.decode(fast)).isEqualTo(viaAvro);
        compared++;
        if (s.tenant >= 0) labelled++;
      }
    }
    assertThat(compared).isGreaterThan(1000);
    assertThat(labelled).as("samples with a tenant label").isGreaterThan(compared / 2).isLessThan(compared);
  }

  @Test
  void negativeAndLargeNumbersRoundTrip() {
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    model.sample(5, 176_400_000L, s);
    s.workload = -1;
    s.eccCorrectedTotal = Long.MAX_VALUE;
    s.eventTimeMs = -1;
    s.powerW = Double.NaN;
    ChipSample back = AvroCodec.CHIP_SAMPLE.decode(writer.encode(s));
    assertThat(back.getWorkloadId()).isEqualTo(-1);
    assertThat(back.getEccCorrectedTotal()).isEqualTo(Long.MAX_VALUE);
    assertThat(back.getEventTime()).isEqualTo(Instant.ofEpochMilli(-1));
    assertThat(back.getPowerW()).isNaN();
  }

  private ChipSample toAvro(Sample s) {
    return ChipSample.newBuilder()
        .setChipId(s.chip).setInstanceId(s.instance).setUltraserverId(s.ultraserver)
        .setSite(model.layout().siteIds().get(s.site))
        .setGeneration(model.layout().generationIds().get(s.generation))
        .setWorkloadId(s.workload).setWorkloadKind(WorkloadKind.valueOf(s.activity.name()))
        .setEventTime(Instant.ofEpochMilli(s.eventTimeMs)).setIntervalMs(s.intervalMs)
        .setUtilization(s.utilization).setHbmUsedGib(s.hbmUsedGib).setPowerW(s.powerW)
        .setRenewableShare(s.renewableShare).setEccCorrectedTotal(s.eccCorrectedTotal)
        .setEccUncorrectedTotal(s.eccUncorrectedTotal)
        .setTenant(s.tenant < 0 ? null : model.layout().tenantIds().get(s.tenant)).build();
  }
}
