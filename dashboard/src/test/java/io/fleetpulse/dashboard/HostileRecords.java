package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.TestRecords.MINUTE;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static io.fleetpulse.dashboard.TestRecords.alert;
import static io.fleetpulse.dashboard.TestRecords.rollup;
import static io.fleetpulse.dashboard.TestRecords.ultraserver;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.WindowMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Records anyone with a Kafka client could write into the dashboard's topics, each with the reason the dashboard
 * must skip it for; and the good records they are mixed with. Shared by the pure test (bytes straight into the
 * board) and the broker test (the same bytes through Kafka).
 */
final class HostileRecords {

  private HostileRecords() {}

  /** Where a record goes: a metrics topic or the alerts topic. */
  enum Topic { METRICS, ALERTS }

  record Case(String name, Topic topic, byte[] value, SkipReason reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A written record: a good one (reason null) or a hostile one. */
  record Written(Topic topic, String key, byte[] value) {}

  static final String SITE_A = "us-in";
  static final String SITE_B = "us-pa";
  static final String SITE_C = "us-ms";
  static final int WINDOWS = 4;
  static final int ULTRASERVERS = 6;

  /** The window of the good tenant records: the tenants of its UltraServers add up to its fleet, so it shows. */
  static final int TENANT_WINDOW = 2;

  /**
   * Good records: 4 windows of 6 UltraServers over three sites, roll-ups for the last window, the tenant windows
   * of the third, two alerts.
   */
  static List<Written> good() {
    List<Written> out = new ArrayList<>();
    for (int w = 0; w < WINDOWS; w++) {
      for (int us = 0; us < ULTRASERVERS; us++) out.add(metrics(goodUltraserver(w, us)));
    }
    goodTenants().forEach(m -> out.add(metrics(m)));
    long last = T0 + (WINDOWS - 1) * MINUTE;
    out.add(metrics(rollup(ultraserver(last, 0, "x", 0.4f, 0.5f, 0.6f), AggregationLevel.SITE, SITE_B)));
    out.add(metrics(rollup(ultraserver(last, 0, "x", 0.45f, 0.55f), AggregationLevel.FLEET, null)));
    out.add(alerts(alert("straggler-449", AlertStatus.OPEN, T0 + 2 * MINUTE, "chip 449 at 31% of its job's median")));
    out.add(alerts(alert("straggler-12", AlertStatus.RESOLVED, T0 + 3 * MINUTE, "chip 12 back to speed")));
    return out;
  }

  /** The third window's UltraServers split between two tenants, as the job's roll-up writes them. */
  static List<WindowMetrics> goodTenants() {
    List<WindowMetrics> ultraservers = IntStream.range(0, ULTRASERVERS)
        .mapToObj(us -> goodUltraserver(TENANT_WINDOW, us)).toList();
    return List.of(TestRecords.tenant("search", ultraservers.subList(0, 2)),
        TestRecords.tenant("unplaced", ultraservers.subList(2, ULTRASERVERS)));
  }

  static WindowMetrics goodUltraserver(int window, int us) {
    String site = us % 3 == 0 ? SITE_A : us % 3 == 1 ? SITE_B : SITE_C;
    return ultraserver(T0 + window * MINUTE, us, site, 0.1f * (us + 1), 0.05f * (window + 1), 0.9f);
  }

  static Written metrics(WindowMetrics m) {
    String key = m.getUltraserverId() != null ? m.getUltraserverId().toString()
        : m.getSite() != null ? m.getSite() : "fleet";
    return new Written(Topic.METRICS, key, AvroCodec.WINDOW_METRICS.encode(m));
  }

  static Written alerts(Alert a) {
    return new Written(Topic.ALERTS, a.getAlertId(), AvroCodec.ALERT.encode(a));
  }

  /** Every kind of hostile record, one of each. */
  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    WindowMetrics base = goodUltraserver(1, 2);
    byte[] good = AvroCodec.WINDOW_METRICS.encode(base);
    Random random = new Random(11);

    // Not a record at all.
    byte[] garbage = new byte[300];
    random.nextBytes(garbage);
    garbage[0] = 0x42;
    c.add(metricsCase("garbage bytes", garbage, SkipReason.NOT_AVRO));
    c.add(metricsCase("empty value", new byte[0], SkipReason.EMPTY));
    c.add(metricsCase("tombstone", null, SkipReason.EMPTY));
    c.add(metricsCase("text", "{\"level\": \"FLEET\"}".getBytes(), SkipReason.NOT_AVRO));
    c.add(metricsCase("another schema (a ChipSample)", AvroCodec.CHIP_SAMPLE.encode(chipSample()),
        SkipReason.UNKNOWN_SCHEMA));
    c.add(metricsCase("an Alert on a metrics topic", AvroCodec.ALERT.encode(goodAlert()), SkipReason.UNKNOWN_SCHEMA));
    byte[] foreign = good.clone();
    foreign[5] ^= 0x5a; // the fingerprint of a schema nobody registered
    c.add(metricsCase("unknown fingerprint", foreign, SkipReason.UNKNOWN_SCHEMA));
    c.add(metricsCase("truncated", Arrays.copyOf(good, good.length / 2), SkipReason.MALFORMED));
    c.add(metricsCase("header only", Arrays.copyOf(good, 10), SkipReason.MALFORMED));
    c.add(metricsCase("string length of 1 GiB", stringBomb(good), SkipReason.MALFORMED));
    c.add(metricsCase("bytes length of 1 GiB", bytesBomb(good, base), SkipReason.MALFORMED));
    c.add(new Case("array of a billion chip ids", Topic.ALERTS, arrayBomb(), SkipReason.MALFORMED));

    // Too big to keep or to send to every browser.
    c.add(metricsCase("600 KB site", encode(with(base).setSite("s".repeat(600_000))), SkipReason.OVERSIZED));
    c.add(metricsCase("600 KB factors_used", encode(with(base).setFactorsUsed("f".repeat(600_000))),
        SkipReason.OVERSIZED));
    c.add(metricsCase("record close to Kafka's 1 MB limit",
        encode(with(base).setFactorsUsed("f".repeat(1_000_000 - 2_000))), SkipReason.OVERSIZED));
    c.add(metricsCase("20 KB factors_used", encode(with(base).setFactorsUsed("f".repeat(20_000))),
        SkipReason.OVERSIZED));
    c.add(new Case("alert with a 600 KB summary", Topic.ALERTS,
        AvroCodec.ALERT.encode(Alert.newBuilder(goodAlert()).setSummary("y".repeat(600_000)).build()),
        SkipReason.OVERSIZED));
    c.add(new Case("alert with 100,000 chip ids", Topic.ALERTS, AvroCodec.ALERT.encode(Alert.newBuilder(goodAlert())
        .setChipIds(IntStream.range(0, 100_000).boxed().toList()).build()), SkipReason.OVERSIZED));
    c.add(new Case("alert with 1,000 chip ids", Topic.ALERTS, AvroCodec.ALERT.encode(Alert.newBuilder(goodAlert())
        .setChipIds(IntStream.range(0, 1_000).boxed().toList()).build()), SkipReason.OVERSIZED));
    c.add(new Case("alert with a 5,000-char summary", Topic.ALERTS, AvroCodec.ALERT.encode(
        Alert.newBuilder(goodAlert()).setSummary("z".repeat(5_000)).build()), SkipReason.OVERSIZED));

    // Valid-looking but wrong.
    c.add(metricsCase("window 47 hours ahead", encode(shifted(base, 47 * 60 * MINUTE)), SkipReason.AHEAD));
    c.add(metricsCase("NaN utilization", encode(with(base).setUtilizationSum(Double.NaN)), SkipReason.BAD_VALUE));
    c.add(metricsCase("negative energy", encode(with(base).setItEnergyKwh(-4)), SkipReason.BAD_VALUE));
    c.add(metricsCase("infinite cost", encode(with(base).setCostUsd(Double.POSITIVE_INFINITY)), SkipReason.BAD_VALUE));
    c.add(metricsCase("a terawatt-hour", encode(with(base).setItEnergyKwh(1e9).setFacilityEnergyKwh(1.2e9)),
        SkipReason.BAD_VALUE));
    c.add(metricsCase("10,000 chips in one UltraServer", encode(with(base).setChipsReporting(10_000)
        .setSamples(10_000)), SkipReason.BAD_VALUE));
    c.add(metricsCase("a megawatt chip", encode(with(base).setPowerMaxW(1e6)), SkipReason.BAD_VALUE));
    c.add(metricsCase("negative samples", encode(with(base).setSamples(-3)), SkipReason.BAD_VALUE));
    c.add(metricsCase("corrupt sketch", encode(with(base).setUtilizationSketch(ByteBuffer.wrap(new byte[] {7, 7, 7}))),
        SkipReason.BAD_VALUE));
    c.add(metricsCase("sketch of other samples", encode(with(base).setUtilizationSketch(
        ultraserver(T0, 2, SITE_C, 0.1f).getUtilizationSketch())), SkipReason.BAD_VALUE));
    c.add(metricsCase("window ending before it starts", encode(with(base).setWindowEnd(Instant.ofEpochMilli(
        base.getWindowStart().toEpochMilli() - MINUTE))), SkipReason.BAD_TIME));
    c.add(metricsCase("window beyond the year 2200", encode(with(base).setWindowStart(Instant.ofEpochMilli(
        Long.MAX_VALUE / 2)).setWindowEnd(Instant.ofEpochMilli(Long.MAX_VALUE / 2 + MINUTE))), SkipReason.BAD_TIME));
    c.add(metricsCase("unknown site", encode(with(base).setSite("us-xx")), SkipReason.UNKNOWN_SITE));
    c.add(metricsCase("markup as site", encode(with(base).setSite("<img src=x onerror=alert(1)>")),
        SkipReason.UNKNOWN_SITE));
    c.add(metricsCase("site roll-up of an unknown site", encode(rollup(base, AggregationLevel.SITE, "eu-nowhere")),
        SkipReason.UNKNOWN_SITE));
    c.add(metricsCase("unknown generation", encode(with(base).setGeneration("trn9")), SkipReason.UNKNOWN_GENERATION));
    c.add(metricsCase("UltraServer id out of range", encode(with(base).setUltraserverId(Integer.MAX_VALUE)),
        SkipReason.BAD_ID));
    c.add(metricsCase("duplicated UltraServer window", good, SkipReason.DUPLICATE));
    c.add(metricsCase("duplicated fleet roll-up", AvroCodec.WINDOW_METRICS.encode(
        rollup(ultraserver(T0 + (WINDOWS - 1) * MINUTE, 0, "x", 0.45f, 0.55f), AggregationLevel.FLEET, null)),
        SkipReason.DUPLICATE));
    WindowMetrics tenant = goodTenants().get(0);
    c.add(metricsCase("unknown tenant", encode(with(tenant).setTenant("tenant-9999")), SkipReason.UNKNOWN_TENANT));
    c.add(metricsCase("markup as tenant", encode(with(tenant).setTenant("<img src=x onerror=alert(1)>")),
        SkipReason.UNKNOWN_TENANT));
    c.add(metricsCase("tenant record without a tenant", encode(with(tenant).setTenant(null)),
        SkipReason.UNKNOWN_TENANT));
    c.add(metricsCase("tenant record naming a workload", encode(with(tenant).setWorkload("train-00017")),
        SkipReason.BAD_ID));
    c.add(metricsCase("idle cost over the cost", encode(with(tenant).setIdleCostUsd(tenant.getCostUsd() * 2)),
        SkipReason.BAD_VALUE));
    c.add(metricsCase("tenant window 47 hours ahead", encode(shifted(tenant, 47 * 60 * MINUTE)), SkipReason.AHEAD));
    c.add(metricsCase("duplicated tenant window", AvroCodec.WINDOW_METRICS.encode(tenant), SkipReason.DUPLICATE));
    c.add(new Case("alert 47 hours ahead", Topic.ALERTS, AvroCodec.ALERT.encode(Alert.newBuilder(goodAlert())
        .setAlertId("straggler-future").setUpdatedTime(Instant.ofEpochMilli(T0 + 47 * 60 * MINUTE)).build()),
        SkipReason.AHEAD));
    c.add(new Case("alert of an unknown site", Topic.ALERTS, AvroCodec.ALERT.encode(Alert.newBuilder(goodAlert())
        .setSite("us-xx").build()), SkipReason.UNKNOWN_SITE));
    c.add(new Case("alert with negative waste", Topic.ALERTS, AvroCodec.ALERT.encode(Alert.newBuilder(goodAlert())
        .setWastedCostUsd(-1).build()), SkipReason.BAD_VALUE));
    c.add(new Case("alert resolved before it started", Topic.ALERTS, AvroCodec.ALERT.encode(
        Alert.newBuilder(goodAlert()).setAlertId("backwards").setStatus(AlertStatus.RESOLVED)
            .setEndTime(Instant.ofEpochMilli(T0 - MINUTE)).build()), SkipReason.BAD_TIME));
    c.add(new Case("redelivered alert", Topic.ALERTS, AvroCodec.ALERT.encode(goodAlert()), SkipReason.DUPLICATE));
    return c;
  }

  /** The first good alert, as written. */
  static Alert goodAlert() {
    return alert("straggler-449", AlertStatus.OPEN, T0 + 2 * MINUTE, "chip 449 at 31% of its job's median");
  }

  /**
   * The order to write them in: the first good window; every hostile record that is not a repeat; the other good
   * records; then the repeats of good records written before them. Returned as three batches, so a test through
   * Kafka can wait for each batch to be read (records of different partitions and topics are read in no set order:
   * an alert 47 hours ahead is only ahead once there is a stream to be ahead of).
   */
  static List<List<Written>> batches(List<Case> cases) {
    List<Written> good = good();
    List<Written> first = new ArrayList<>(good.subList(0, ULTRASERVERS));
    List<Written> second = new ArrayList<>();
    cases.stream().filter(c -> c.reason() != SkipReason.DUPLICATE)
        .forEach(c -> second.add(new Written(c.topic(), "hostile", c.value())));
    second.addAll(good.subList(ULTRASERVERS, good.size()));
    List<Written> third = new ArrayList<>();
    cases.stream().filter(c -> c.reason() == SkipReason.DUPLICATE)
        .forEach(c -> third.add(new Written(c.topic(), "hostile", c.value())));
    return List.of(first, second, third);
  }

  private static Case metricsCase(String name, byte[] value, SkipReason reason) {
    return new Case(name, Topic.METRICS, value, reason);
  }

  private static WindowMetrics.Builder with(WindowMetrics m) {
    return WindowMetrics.newBuilder(m);
  }

  private static byte[] encode(WindowMetrics.Builder b) {
    return AvroCodec.WINDOW_METRICS.encode(b.build());
  }

  private static byte[] encode(WindowMetrics m) {
    return AvroCodec.WINDOW_METRICS.encode(m);
  }

  private static WindowMetrics shifted(WindowMetrics m, long ms) {
    return with(m).setWindowStart(Instant.ofEpochMilli(m.getWindowStart().toEpochMilli() + ms))
        .setWindowEnd(Instant.ofEpochMilli(m.getWindowEnd().toEpochMilli() + ms)).build();
  }

  private static ChipSample chipSample() {
    return ChipSample.newBuilder()
        .setChipId(7).setInstanceId(0).setUltraserverId(0).setSite(SITE_A).setGeneration("trn2").setWorkloadId(1)
        .setWorkloadKind(io.fleetpulse.schema.WorkloadKind.TRAINING).setEventTime(Instant.ofEpochMilli(T0))
        .setIntervalMs(10_000).setUtilization(0.5).setHbmUsedGib(10).setPowerW(300).setRenewableShare(0.2)
        .setEccCorrectedTotal(0).setEccUncorrectedTotal(0).build();
  }

  /** The header of a record, then the fields up to the site, whose length claims a gigabyte. */
  private static byte[] stringBomb(byte[] good) {
    return body(good, e -> {
      e.writeEnum(AggregationLevel.ULTRASERVER.ordinal());
      e.writeLong(T0);
      e.writeLong(T0 + MINUTE);
      e.writeIndex(1);
      e.writeInt(2);
      e.writeIndex(1);
      e.writeLong(1L << 30); // the site's length; no bytes follow
    });
  }

  /** The same up to the utilization sketch, whose length claims a gigabyte. */
  private static byte[] bytesBomb(byte[] good, WindowMetrics m) {
    return body(good, e -> {
      e.writeEnum(m.getLevel().ordinal());
      e.writeLong(m.getWindowStart().toEpochMilli());
      e.writeLong(m.getWindowEnd().toEpochMilli());
      e.writeIndex(1);
      e.writeInt(m.getUltraserverId());
      e.writeIndex(1);
      e.writeString(m.getSite());
      e.writeIndex(1);
      e.writeString(m.getGeneration());
      e.writeInt(m.getUltraservers());
      e.writeLong(m.getSamples());
      e.writeInt(m.getChipsReporting());
      for (double d : new double[] {m.getChipSeconds(), m.getUtilizationSum(), m.getUtilizationAvg(),
          m.getUtilizationP50(), m.getUtilizationP95(), m.getUtilizationP99()}) {
        e.writeDouble(d);
      }
      e.writeLong(1L << 30); // the sketch's length
    });
  }

  /** An alert whose chip_ids block claims a billion items. */
  private static byte[] arrayBomb() {
    Alert a = goodAlert();
    return body(AvroCodec.ALERT.encode(a), e -> {
      e.writeString(a.getAlertId());
      e.writeEnum(a.getKind().ordinal());
      e.writeEnum(a.getStatus().ordinal());
      e.writeEnum(a.getSeverity().ordinal());
      e.writeLong(a.getStartTime().toEpochMilli());
      e.writeIndex(0);
      e.writeLong(a.getUpdatedTime().toEpochMilli());
      e.writeString(a.getSite());
      e.writeIndex(0);
      e.writeIndex(0);
      e.writeArrayStart();
      e.setItemCount(1_000_000_000L);
      e.startItem();
      e.writeInt(1);
    });
  }

  interface Fields {
    void write(BinaryEncoder e) throws IOException;
  }

  /** The 10-byte single-object header of a record of the same schema, then hand-written Avro fields. */
  private static byte[] body(byte[] sameSchema, Fields fields) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(sameSchema, 0, 10);
      BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
      fields.write(e);
      e.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
