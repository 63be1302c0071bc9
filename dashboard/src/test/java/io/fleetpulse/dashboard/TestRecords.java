package io.fleetpulse.dashboard;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Small, hand-made records for the tests, and a producer that writes them the way the job does. */
final class TestRecords {

  static final long MINUTE = 60_000;
  static final long T0 = Instant.parse("2026-11-25T06:00:00Z").toEpochMilli();

  private TestRecords() {}

  /**
   * An UltraServer window whose chips reported the given utilizations (one sample each, 10 s, 400 W at PUE 1.2,
   * grid 400 g/kWh, $2 per chip-hour, 600 TFLOPS peak). Ratios are set as the job would; the dashboard only
   * re-aggregates the sums, which is what the tests check against their own arithmetic.
   */
  static WindowMetrics ultraserver(long windowStart, int id, String site, float... utilizations) {
    KllFloatsSketch sketch = KllFloatsSketch.newHeapInstance(200);
    double utilSum = 0;
    for (float u : utilizations) {
      sketch.update(u);
      utilSum += u;
    }
    int n = utilizations.length;
    double dt = 10;
    double itKwh = n * 400 * dt / 3.6e6;
    double facility = itKwh * 1.2;
    double pflop = utilSum * 600 * dt / 1000;
    double cost = n * dt / 3600 * 2.0;
    return WindowMetrics.newBuilder()
        .setLevel(AggregationLevel.ULTRASERVER)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowStart + MINUTE))
        .setUltraserverId(id)
        .setSite(site)
        .setGeneration("trn2")
        .setUltraservers(1)
        .setSamples(n)
        .setChipsReporting(n)
        .setChipSeconds(n * dt)
        .setUtilizationSum(utilSum)
        .setUtilizationAvg(utilSum / n)
        .setUtilizationP50(sketch.getQuantile(0.5))
        .setUtilizationP95(sketch.getQuantile(0.95))
        .setUtilizationP99(sketch.getQuantile(0.99))
        .setUtilizationSketch(ByteBuffer.wrap(sketch.toByteArray()))
        .setHbmUsedSumGib(n * 40.0)
        .setHbmCapacitySumGib(n * 96.0)
        .setHbmUsedAvgGib(40)
        .setHbmUtil(40 / 96.0)
        .setPowerSumW(n * 400.0)
        .setPowerAvgW(400)
        .setPowerMaxW(400)
        .setItEnergyKwh(itKwh)
        .setPue(1.2)
        .setFacilityEnergyKwh(facility)
        .setResidualFacilityEnergyKwh(facility * 0.5)
        .setIdleSamples(0)
        .setIdleEnergyKwh(0)
        .setDeliveredPflop(pflop)
        .setEfficiencyTflopsPerW(pflop * 1000 / (itKwh * 3.6e6))
        .setGridFactorGPerKwh(400)
        .setCarbonLocationKg(facility * 0.4)
        .setCarbonMarketKg(facility * 0.5 * 0.4)
        .setCarbonLocationGPerPflop(facility * 400 / pflop)
        .setCarbonMarketGPerPflop(facility * 200 / pflop)
        .setCostUsd(cost)
        .setUsdPerPflop(cost / pflop)
        .setGpuReferenceUsdPerPflop(0.004)
        .setPricePerfVsGpu(0.004 / (cost / pflop) - 1)
        .setPowerModelled(true)
        .build();
  }

  /** The same figures re-labelled as a roll-up of the given level (SITE needs a site). */
  static WindowMetrics rollup(WindowMetrics from, AggregationLevel level, String site) {
    return WindowMetrics.newBuilder(from).setLevel(level).setUltraserverId(null).setSite(site)
        .setGeneration(null).build();
  }

  /**
   * The TENANT window of the given UltraServer windows (one window), summed as the job's roll-up sums them: the
   * sums added, the sketches merged, the ratios recomputed.
   */
  static WindowMetrics tenant(String tenant, List<WindowMetrics> ultraservers) {
    MetricSums sums = new MetricSums();
    ultraservers.forEach(m -> sums.add(MetricSums.of(m)));
    WindowMetrics first = ultraservers.get(0);
    WindowMetrics m = sums.toWindowMetrics(AggregationLevel.TENANT, first.getWindowStart().toEpochMilli(),
        first.getWindowEnd().toEpochMilli(), null, null, null, first.getGpuReferenceUsdPerPflop());
    m.setTenant(tenant);
    return m;
  }

  static Alert alert(String id, AlertStatus status, long updated, String summary) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setKind(AlertKind.STRAGGLER)
        .setStatus(status)
        .setSeverity(AlertSeverity.WARNING)
        .setStartTime(Instant.ofEpochMilli(T0))
        .setEndTime(status == AlertStatus.RESOLVED ? Instant.ofEpochMilli(updated) : null)
        .setUpdatedTime(Instant.ofEpochMilli(updated))
        .setSite("us-in")
        .setUltraserverId(7)
        .setWorkloadId(3)
        .setChipIds(List.of(449))
        .setSummary(summary)
        .setObserved(0.31)
        .setThreshold(0.8)
        .setWastedEnergyKwh(1.5)
        .setWastedCostUsd(0.75)
        .setWastedCarbonKg(0.6)
        .build();
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, WindowMetrics m) {
    String key = m.getUltraserverId() != null ? m.getUltraserverId().toString()
        : m.getSite() != null ? m.getSite() : m.getTenant() != null ? m.getTenant() : "fleet";
    send(producer, topic, key, AvroCodec.WINDOW_METRICS.encode(m));
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, Alert a) {
    send(producer, topic, a.getAlertId(), AvroCodec.ALERT.encode(a));
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write to " + topic, e);
    }
  }
}
