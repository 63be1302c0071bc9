package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.testing.ModelledWindows;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser (Debian's headless Chromium driven by Selenium) against a real broker and real
 * records: it loads without console errors, draws its charts, follows the stream live, shows the figures of the
 * latest window in Kafka, shows markup from Kafka as text, and comes back after the server restarts.
 */
@Timeout(240)
class DashboardBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");
  static final Path TENANTS_SCREENSHOT = Path.of("target", "dashboard-tenants-screenshot.png");
  static final Duration WAIT = Duration.ofSeconds(45);
  static final long MINUTE = 60_000;
  static final long T0 = Instant.parse("2026-11-25T14:00:00Z").toEpochMilli();
  static final int WINDOWS = 20;
  static final String MARKUP_SITE = "<img src=x onerror=alert(1)>";
  static final String MARKUP_SUMMARY = "<script>window.pwned = 1</script><b>chip 7</b> & co at 31% of median";
  /** The avg line of the utilization chart (dashboard.js), to tell a drawn series from empty axes. */
  static final int[] UTIL_AVG_RGB = {0x1d, 0x4e, 0xd8};

  // Selenium's CDP lookup warns through java.util.logging that it has no bindings for this Chromium; harmless here.
  static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  static EmbeddedKafkaBroker kafka;
  static KafkaProducer<byte[], byte[]> producer;
  static ModelledWindows fleet;
  static ChromeDriver browser;
  static int topicCounter;

  @BeforeAll
  static void start(@org.junit.jupiter.api.io.TempDir Path profile) {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the browser test needs Debian's Chromium and ChromeDriver at %s and %s: run .ci/run (it installs the "
            + "packages chromium and chromium-driver) or apt-get install chromium chromium-driver", CHROMIUM,
            CHROMEDRIVER)
        .isTrue();
    SELENIUM_LOG.setLevel(Level.SEVERE);
    kafka = EmbeddedKafkaBroker.builder().build().start();
    producer = TestRecords.producer(kafka.bootstrapServers());
    // 48 UltraServers (3,072 chips) over the default three sites, sampled by the fleet model itself.
    fleet = new ModelledWindows(new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "3072"))),
        Duration.ofMinutes(1));

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    // Without the background-networking flags Chromium tries to reach Google, which this network refuses.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1440,2300");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (producer != null) producer.close();
    if (kafka != null) kafka.close();
  }

  @BeforeEach
  void forgetEarlierConsoleMessages() {
    browser.manage().logs().get(LogType.BROWSER);
  }

  @Test
  void showsTheLatestWindowLiveWithChartsAndTheFiguresInKafka() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    for (int w = 0; w < WINDOWS - 1; w++) writeWindow(t, T0 + w * MINUTE);
    writeAlerts(t);

    try (DashboardServer server = DashboardServer.start(settings(t, 0))) {
      browser.get(server.url().toString());
      awaitText("last-window", hhmm(T0 + (WINDOWS - 2) * MINUTE));

      // Live: a window written now reaches the open page without a reload.
      long latest = T0 + (WINDOWS - 1) * MINUTE;
      writeWindow(t, latest);
      awaitText("last-window", hhmm(latest));
      awaitText("conn", "live");

      List<WindowMetrics> inKafka = latestWindowInKafka(t.ultraserver());
      assertThat(inKafka.get(0).getWindowStart().toEpochMilli()).isEqualTo(latest);
      double samples = inKafka.stream().mapToDouble(WindowMetrics::getSamples).sum();
      double utilization = inKafka.stream().mapToDouble(WindowMetrics::getUtilizationSum).sum() / samples;
      double facilityKwh = inKafka.stream().mapToDouble(WindowMetrics::getFacilityEnergyKwh).sum();
      double locationKg = inKafka.stream().mapToDouble(WindowMetrics::getCarbonLocationKg).sum();
      int chips = inKafka.stream().mapToInt(WindowMetrics::getChipsReporting).sum();
      assertThat(text("kpi-util-avg")).isEqualTo(String.format(Locale.US, "%.1f", utilization * 100));
      assertThat(text("kpi-energy")).isEqualTo(String.format(Locale.US, "%,.1f", facilityKwh));
      assertThat(text("kpi-carbon-location")).isEqualTo(String.format(Locale.US, "%,.1f", locationKg));
      assertThat(text("kpi-chips")).isEqualTo(String.format(Locale.US, "%,d", chips));
      assertThat(browser.findElements(By.cssSelector("#sites-body tr"))).hasSize(3);
      assertThat(browser.findElements(By.cssSelector("#waste-body tr"))).hasSize(WindowBoard.WASTEFUL_ROWS);
      assertThat(browser.findElements(By.cssSelector("#alerts-list li"))).hasSize(2);
      // Power-derived figures say they are modelled.
      assertThat(browser.findElements(By.cssSelector(".tile .modelled")).stream().filter(WebElement::isDisplayed))
          .hasSize(4);

      for (String chart : List.of("chart-util", "chart-power", "chart-efficiency", "chart-carbon", "chart-price")) {
        assertThat(paintedPixels(chart, null)).as("pixels drawn on %s", chart).isGreaterThan(2_000);
      }
      assertThat(paintedPixels("chart-util", UTIL_AVG_RGB)).as("pixels of the utilization line").isGreaterThan(100);

      assertThat(consoleErrors()).isEmpty();
      Files.createDirectories(SCREENSHOT.getParent());
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void showsTheTenantsOfTheNewestCompleteWindowLiveAndSkipsHostileTenants() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    String tenantTopic = "browser.tenant" + topicCounter;
    kafka.createTopics(Map.of(tenantTopic, 2));
    List<String> metrics = new ArrayList<>(t.metrics());
    metrics.add(tenantTopic);
    writeWindow(t, T0);
    try (DashboardServer server = DashboardServer.start(settings(t, 0).withTopics(metrics, t.alerts()))) {
      browser.get(server.url().toString());
      awaitText("last-window", hhmm(T0));
      awaitText("tenants-window", "waiting for a complete tenant window");

      // The job's tenant windows: the fleet's UltraServers split among three tenants, summed as its roll-up does.
      Map<String, List<WindowMetrics>> split = writeTenants(tenantTopic, T0);
      awaitText("tenants-window", hhmm(T0));
      assertThat(text("tenants-window")).endsWith("3 tenants");
      List<String> byCost = split.keySet().stream().sorted(java.util.Comparator.comparingDouble(
          (String k) -> -sum(split.get(k), WindowMetrics::getCostUsd))).toList();
      List<WebElement> rows = browser.findElements(By.cssSelector("#tenants-cost-body tr"));
      assertThat(rows).hasSize(3);
      for (int i = 0; i < 3; i++) {
        double cost = sum(split.get(byCost.get(i)), WindowMetrics::getCostUsd);
        assertThat(rows.get(i).getText()).isEqualTo(String.format(Locale.US, "%d %s %,.2f %,.2f %s %,.2f", i + 1,
            byCost.get(i), cost, cost * 60, idleShare(split.get(byCost.get(i))), cost));
      }
      String topByLocation = split.keySet().stream().max(java.util.Comparator.comparingDouble(
          (String k) -> sum(split.get(k), WindowMetrics::getCarbonLocationKg))).orElseThrow();
      assertThat(browser.findElement(By.cssSelector("#tenants-location-body tr")).getText())
          .startsWith("1 " + topByLocation + " ");
      double fleetCost = sum(fleet.window(T0), WindowMetrics::getCostUsd);
      assertThat(text("tenants-summary")).startsWith(String.format(Locale.US, "all tenants: $%,.2f ($%,.2f / h)",
          fleetCost, fleetCost * 60));

      // Records anyone could write: a tenant the fleet has not got, and markup as a tenant. Skipped, and said so.
      WindowMetrics some = split.values().iterator().next().get(0);
      TestRecords.send(producer, tenantTopic, TestRecords.tenant("tenant-9999", List.of(some)));
      TestRecords.send(producer, tenantTopic, TestRecords.tenant(MARKUP_SITE, List.of(some)));
      awaitText("last-update", "2 records skipped (unknown_tenant 2)");
      assertThat(text("tenants-cost-body")).doesNotContain("tenant-9999").doesNotContain("onerror");
      assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();

      // Live: the next window's tenants replace the first on the open page, and the totals add up both.
      writeWindow(t, T0 + MINUTE);
      Map<String, List<WindowMetrics>> next = writeTenants(tenantTopic, T0 + MINUTE);
      awaitText("tenants-window", hhmm(T0 + MINUTE));
      double total = fleetCost + sum(fleet.window(T0 + MINUTE), WindowMetrics::getCostUsd);
      awaitText("tenants-totals", String.format(Locale.US, "Totals over the 2 windows counted since %s UTC: $%,.2f",
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(T0)),
          total));
      assertThat(next).hasSize(3);

      JsonNode api = EventRecorder.parse(DashboardServerIT.get(server.url().resolve("/api/tenants")).body());
      assertThat(api.get("windowStart").asLong()).isEqualTo(T0 + MINUTE);
      assertThat(api.get("byCost")).hasSize(3);
      assertThat(api.get("totalCostUsd").asDouble()).isCloseTo(total, org.assertj.core.api.Assertions.within(1e-6));
      assertThat(consoleErrors()).isEmpty();
      Files.createDirectories(TENANTS_SCREENSHOT.getParent());
      Files.copy(browser.findElement(By.cssSelector("section[aria-label=Tenants]")).getScreenshotAs(OutputType.FILE)
          .toPath(), TENANTS_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes a window's tenant records the way the job does; returns each tenant's UltraServer windows. */
  static Map<String, List<WindowMetrics>> writeTenants(String topic, long start) {
    List<String> tenants = List.of("frontier-models", "search", "unplaced");
    Map<String, List<WindowMetrics>> split = new java.util.TreeMap<>();
    List<WindowMetrics> window = fleet.window(start);
    // Uneven shares, so the rankings have a clear order: 1, 2 and 3 of every 6 UltraServers.
    for (int i = 0; i < window.size(); i++) {
      int slot = i % 6;
      String tenant = tenants.get(slot == 0 ? 0 : slot < 3 ? 1 : 2);
      split.computeIfAbsent(tenant, k -> new ArrayList<>()).add(window.get(i));
    }
    split.forEach((tenant, us) -> TestRecords.send(producer, topic, TestRecords.tenant(tenant, us)));
    return split;
  }

  static double sum(List<WindowMetrics> records, java.util.function.ToDoubleFunction<WindowMetrics> f) {
    return records.stream().mapToDouble(f).sum();
  }

  /** The idle share as the page prints it: a percentage with one decimal, a dash when nothing was paid. */
  static String idleShare(List<WindowMetrics> records) {
    double cost = sum(records, WindowMetrics::getCostUsd);
    return cost > 0 ? String.format(Locale.US, "%.1f", sum(records, WindowMetrics::getIdleCostUsd) / cost * 100)
        : "—";
  }

  @Test
  void showsMarkupFromKafkaAsTextAndRunsNone() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    WindowMetrics sample = fleet.ultraserver(0, T0);
    TestRecords.send(producer, t.ultraserver(), sample);
    // A site the fleet does not have never reaches the page: it is skipped, and the page says so.
    TestRecords.send(producer, t.ultraserver(), WindowMetrics.newBuilder(fleet.ultraserver(1, T0)).setSite(MARKUP_SITE)
        .build());
    TestRecords.send(producer, t.alerts(), io.fleetpulse.schema.Alert.newBuilder(
        TestRecords.alert("straggler-7", AlertStatus.OPEN, T0 + MINUTE, MARKUP_SUMMARY)).build());

    try (DashboardServer server = DashboardServer.start(settings(t, 0))) {
      browser.get(server.url().toString());
      awaitText("alerts-list", "chip 7");
      awaitText("last-update", "1 record skipped (unknown_site 1)");

      assertThat(browser.findElement(By.cssSelector("#alerts-list .summary")).getText()).isEqualTo(MARKUP_SUMMARY);
      assertThat(text("sites-body")).doesNotContain("onerror");
      assertThat(browser.findElement(By.id("last-update")).getAttribute("title")).contains("unknown_site");
      assertThat(browser.findElements(By.cssSelector("main img, main script, main b"))).isEmpty();
      assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.pwned")).isEqualTo("undefined");
      assertThat(consoleErrors()).isEmpty();
    }
  }

  /** A span as the page writes it: "12.3 s" or "1 min 4 s". */
  static double seconds(String span) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:(\\d+) min )?([\\d.]+) s").matcher(span);
    assertThat(m.matches()).as("a span: '%s'", span).isTrue();
    return (m.group(1) == null ? 0 : 60 * Integer.parseInt(m.group(1))) + Double.parseDouble(m.group(2));
  }

  @Test
  void saysHowLateTheNewestWindowIs() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    try (DashboardServer server = DashboardServer.start(settings(t, 0))) {
      browser.get(server.url().toString());
      awaitText("conn", "live");
      // Written once the dashboard reads the topics: what was there before counts as history, not as delay.
      awaitText("last-update", "Kafka: reading");
      awaitText("latency", "delay: measuring");

      // The minute that closed last, emitted by the "job" a moment ago, as a real-time run writes it.
      long now = System.currentTimeMillis();
      long start = now / MINUTE * MINUTE - MINUTE;
      long end = start + MINUTE;
      long emitted = now - 300;
      for (WindowMetrics m : fleet.window(start)) {
        TestRecords.send(producer, t.ultraserver(), WindowMetrics.newBuilder(m)
            .setEmittedAt(Instant.ofEpochMilli(emitted)).build());
      }
      awaitText("last-window", hhmm(start));
      awaitText("latency", "job");
      long shownAt = System.currentTimeMillis();

      // Minute windows: late in the minute the window closed up to a minute ago, and the page says "1 min 0 s".
      String span = "(\\d+ min \\d+ s|[\\d.]+ s)";
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "window closed " + span + " ago · delay " + span + " \\(job " + span + "\\)").matcher(text("latency"));
      assertThat(m.find()).as("the readout '%s'", text("latency")).isTrue();
      double closedAgo = seconds(m.group(1));
      double delay = seconds(m.group(2));
      double job = seconds(m.group(3));
      // What the page rounds to: a tenth of a second under a minute, a whole second above.
      double slack = m.group(0).contains("min") ? 0.51 : 0.06;
      // The window reached the dashboard after it was emitted and before the page showed it.
      assertThat(delay).isBetween((emitted - end) / 1000.0 - 2 * slack, (shownAt - end) / 1000.0 + 2 * slack);
      assertThat(job).isCloseTo((emitted - end) / 1000.0, org.assertj.core.api.Assertions.within(slack));
      assertThat(closedAgo).isBetween(delay - 2 * slack, (System.currentTimeMillis() - end) / 1000.0 + 1.1);

      JsonNode latency = EventRecorder.parse(DashboardServerIT.get(server.url().resolve("/api/status")).body())
          .get("latency");
      assertThat(latency.get("clock").asText()).isEqualTo("real-time");
      assertThat(latency.at("/delayMs/p95").asLong()).isBetween(emitted - end, shownAt - end);
      assertThat(consoleErrors()).isEmpty();
    }
  }

  @Test
  void saysTheDelayIsNotApplicableWhenEventTimeRunsFasterThanTheWallClock() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    try (DashboardServer server = DashboardServer.start(settings(t, 0))) {
      browser.get(server.url().toString());
      awaitText("last-update", "Kafka: reading");
      // Last week's windows, one after another as fast as they can be written: a --speedup run or a replay.
      for (int w = 0; w < 4; w++) writeWindow(t, T0 + w * MINUTE);
      awaitText("last-window", hhmm(T0 + 3 * MINUTE));
      awaitText("latency", "n/a at speedup");
      assertThat(text("latency")).doesNotContain("window closed");
      assertThat(consoleErrors()).isEmpty();
    }
  }

  @Test
  void followsTheStreamAgainAfterTheServerRestarts() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    writeWindow(t, T0);
    DashboardServer server = DashboardServer.start(settings(t, 0));
    int port = server.port();
    try {
      browser.get(server.url().toString());
      awaitText("last-window", hhmm(T0));
      awaitText("conn", "live");

      server.close();
      awaitText("conn", "reconnecting");
      assertThat(browser.findElement(By.id("stale-banner")).isDisplayed()).isTrue();

      server = DashboardServer.start(settings(t, port));
      writeWindow(t, T0 + MINUTE);
      awaitText("last-window", hhmm(T0 + MINUTE));
      awaitText("conn", "live");
      assertThat(browser.findElement(By.id("stale-banner")).isDisplayed()).isFalse();
    } finally {
      server.close();
    }
    // Losing the server shows as failed requests in the console; that is the point of this test, not a fault.
    assertThat(consoleErrors()).allSatisfy(e -> assertThat(e).contains("/events"));
  }

  @Test
  void saysSoWhenTheStreamStalls() throws Exception {
    DashboardServerIT.TestTopics t = topics();
    writeWindow(t, T0);
    try (DashboardServer server = DashboardServer.start(settings(t, 0).withStaleAfter(Duration.ofSeconds(3)))) {
      browser.get(server.url().toString());
      awaitText("last-window", hhmm(T0));
      // Nothing more is written: after --stale-after the page must say the stream looks stalled.
      awaitText("stale-banner", "stalled");
      assertThat(browser.findElement(By.id("stale-banner")).isDisplayed()).isTrue();

      writeWindow(t, T0 + MINUTE);
      awaitText("last-window", hhmm(T0 + MINUTE));
      new WebDriverWait(browser, WAIT).until(d -> !d.findElement(By.id("stale-banner")).isDisplayed());
      assertThat(consoleErrors()).isEmpty();
    }
  }

  static DashboardServerIT.TestTopics topics() {
    int n = ++topicCounter;
    DashboardServerIT.TestTopics t = new DashboardServerIT.TestTopics(
        "browser.us" + n, "browser.site" + n, "browser.fleet" + n, "browser.alerts" + n);
    kafka.createTopics(Map.of(t.ultraserver(), 2, t.site(), 1, t.fleet(), 1, t.alerts(), 1));
    return t;
  }

  static DashboardSettings settings(DashboardServerIT.TestTopics t, int port) {
    return DashboardSettings.defaults(kafka.bootstrapServers()).withListener("127.0.0.1", port)
        .withTopics(t.metrics(), t.alerts())
        .withIntervals(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(100));
  }

  static void writeWindow(DashboardServerIT.TestTopics t, long start) {
    for (WindowMetrics m : fleet.window(start)) TestRecords.send(producer, t.ultraserver(), m);
  }

  static void writeAlerts(DashboardServerIT.TestTopics t) {
    TestRecords.send(producer, t.alerts(), io.fleetpulse.schema.Alert.newBuilder(
        TestRecords.alert("straggler-1234", AlertStatus.OPEN, T0 + 14 * MINUTE,
            "chip 1234 at 57% of its job's median utilization for 12 min")).build());
    TestRecords.send(producer, t.alerts(), io.fleetpulse.schema.Alert.newBuilder(
        TestRecords.alert("power-cap-9", AlertStatus.RESOLVED, T0 + 16 * MINUTE,
            "UltraServer 9 held at 70% of its power cap for 25 min"))
        .setKind(AlertKind.POWER_CAP).setSeverity(AlertSeverity.CRITICAL).setSite("us-pa").setUltraserverId(9)
        .setChipIds(List.of()).build());
  }

  /** Reads the topic back with a consumer of its own and returns the records of the newest window. */
  static List<WindowMetrics> latestWindowInKafka(String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    List<WindowMetrics> all = new ArrayList<>();
    io.fleetpulse.platform.TopicReader.readToEnd(c, topic, r -> all.add(AvroCodec.WINDOW_METRICS.decode(r.value())));
    long newest = all.stream().mapToLong(m -> m.getWindowStart().toEpochMilli()).max().orElseThrow();
    return all.stream().filter(m -> m.getWindowStart().toEpochMilli() == newest).toList();
  }

  static String hhmm(long ms) {
    return DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(ms));
  }

  static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  static void awaitText(String id, String part) {
    new WebDriverWait(browser, WAIT).withMessage(() -> "#" + id + " never showed '" + part + "', it shows '"
        + text(id) + "'").until(d -> text(id).contains(part));
  }

  /**
   * Pixels drawn on a chart's canvas: any opaque pixel, or only those near one colour. Counted in the page, which
   * may read its own canvases.
   */
  static long paintedPixels(String chartId, int[] rgb) {
    String script = "const c = document.querySelector('#' + arguments[0] + ' canvas');"
        + "if (!c || !c.width || !c.height) return -1;"
        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const rgb = arguments[1];"
        + "let n = 0;"
        + "for (let i = 0; i < d.length; i += 4) {"
        + "  if (d[i + 3] < 200) continue;"
        + "  if (!rgb || (Math.abs(d[i] - rgb[0]) < 16 && Math.abs(d[i + 1] - rgb[1]) < 16 && Math.abs(d[i + 2] - rgb[2]) < 16)) n++;"
        + "}"
        + "return n;";
    List<Integer> color = rgb == null ? null : List.of(rgb[0], rgb[1], rgb[2]);
    return ((Number) ((JavascriptExecutor) browser).executeScript(script, chartId, color)).longValue();
  }

  static List<String> consoleErrors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

}
