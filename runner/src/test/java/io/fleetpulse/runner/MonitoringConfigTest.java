package io.fleetpulse.runner;

import static io.fleetpulse.runner.MonitoringFiles.GRAFANA_DIR;
import static io.fleetpulse.runner.MonitoringFiles.PROMETHEUS_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring stack as code, checked in the fast loop: the scrape configs and alert rules by promtool (Debian's
 * prometheus package), the rules by their promtool unit tests, the Grafana dashboards and provisioning by their
 * structure, and docker-compose.yml's wiring of both. MonitoringIT runs them against a real Prometheus and pipeline.
 */
class MonitoringConfigTest {

  static final String DATASOURCE_UID = "fleetpulse-prometheus";

  @TempDir Path tmp;

  @Test
  void promtoolAcceptsBothScrapeConfigsAndTheRuleFilesTheyLoad() {
    for (String config : List.of("prometheus.yml", "prometheus-local.yml")) {
      MonitoringFiles.Run run = MonitoringFiles.promtool(null, "check", "config", config);
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(run.output()).contains("SUCCESS: " + config + " is valid prometheus config file syntax")
          .contains("SUCCESS: 2 rule files found");
    }
  }

  @Test
  void promtoolAcceptsEveryRule() {
    List<Path> files = MonitoringFiles.files(PROMETHEUS_DIR.resolve("rules"), ".yml");
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("fleetpulse-fleet.yml", "fleetpulse-pipeline.yml");
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    files.forEach(f -> args.add("rules/" + f.getFileName()));
    MonitoringFiles.Run run = MonitoringFiles.promtool(null, args.toArray(String[]::new));
    assertThat(run.exit()).as(run.output()).isZero();
    for (Path f : files) {
      int rules = 0;
      for (JsonNode group : MonitoringFiles.yaml(f).path("groups")) rules += group.path("rules").size();
      assertThat(run.output()).contains("Checking rules/" + f.getFileName() + "\n  SUCCESS: " + rules + " rules found");
    }
  }

  @Test
  void theRulesPassTheirUnitTestsAndEveryAlertIsTestedFiringAndQuiet() {
    List<Path> tests = MonitoringFiles.files(PROMETHEUS_DIR.resolve("tests"), ".yml");
    assertThat(tests).hasSize(2);
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    tests.forEach(t -> args.add("tests/" + t.getFileName()));
    MonitoringFiles.Run run = MonitoringFiles.promtool(null, args.toArray(String[]::new));
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output().split("SUCCESS", -1)).hasSize(tests.size() + 1);

    // Every alert has a case where it fires and one where it does not.
    Set<String> fires = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (Path t : tests) {
      for (JsonNode test : MonitoringFiles.yaml(t).path("tests")) {
        for (JsonNode c : test.path("alert_rule_test")) {
          (c.path("exp_alerts").isEmpty() ? quiet : fires).add(c.path("alertname").asText());
        }
      }
    }
    Set<String> alerts = new TreeSet<>();
    for (Path f : MonitoringFiles.files(PROMETHEUS_DIR.resolve("rules"), ".yml")) {
      for (JsonNode group : MonitoringFiles.yaml(f).path("groups")) {
        for (JsonNode rule : group.path("rules")) if (rule.has("alert")) alerts.add(rule.path("alert").asText());
      }
    }
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(11);
    assertThat(fires).as("alerts tested firing").isEqualTo(alerts);
    assertThat(quiet).as("alerts tested quiet").isEqualTo(alerts);
  }

  @Test
  void theComposeAndLocalScrapeConfigsDifferOnlyInTheirTargets() {
    JsonNode compose = withoutTargets(MonitoringFiles.yaml(PROMETHEUS_DIR.resolve("prometheus.yml")));
    JsonNode local = withoutTargets(MonitoringFiles.yaml(PROMETHEUS_DIR.resolve("prometheus-local.yml")));
    assertThat(local).isEqualTo(compose);
    assertThat(targets(PROMETHEUS_DIR.resolve("prometheus-local.yml"))).isEqualTo(Map.of(
        "flink", List.of("localhost:9249"), "fleetpulse-generator", List.of("localhost:9250")));
  }

  static JsonNode withoutTargets(JsonNode config) {
    JsonNode copy = config.deepCopy();
    for (JsonNode job : copy.path("scrape_configs")) ((ObjectNode) job).remove("static_configs");
    return copy;
  }

  static Map<String, List<String>> targets(Path config) {
    Map<String, List<String>> targets = new TreeMap<>();
    for (JsonNode job : MonitoringFiles.yaml(config).path("scrape_configs")) {
      List<String> t = new ArrayList<>();
      for (JsonNode sc : job.path("static_configs")) sc.path("targets").forEach(n -> t.add(n.asText()));
      targets.put(job.path("job_name").asText(), t);
    }
    return targets;
  }

  @Test
  void everyDashboardIsGrafanaJsonWithUniquePanelsAndKnownVariables() {
    List<Path> files = MonitoringFiles.dashboardFiles();
    assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
        "fleetpulse-fleet-overview.json", "fleetpulse-site.json", "fleetpulse-generation.json",
        "fleetpulse-pipeline.json");
    Set<String> uids = new HashSet<>();
    for (Path file : files) {
      JsonNode d = MonitoringFiles.json(file);
      String name = file.getFileName().toString();
      for (String field : List.of("uid", "title", "schemaVersion", "panels", "templating", "annotations", "time")) {
        assertThat(d.has(field)).as("%s has %s", name, field).isTrue();
      }
      assertThat(uids.add(d.path("uid").asText())).as("%s: uid %s is unique", name, d.path("uid")).isTrue();
      assertThat(d.path("uid").asText()).matches("[a-z0-9-]{1,40}");
      assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
      assertThat(d.path("tags").toString()).contains("\"fleetpulse\"");

      // Variables: a Prometheus data source picked by the provisioned uid, then queries on it.
      Set<String> variables = new HashSet<>();
      JsonNode vars = d.path("templating").path("list");
      assertThat(vars.path(0).path("name").asText()).as(name).isEqualTo("datasource");
      assertThat(vars.path(0).path("type").asText()).isEqualTo("datasource");
      assertThat(vars.path(0).path("query").asText()).isEqualTo("prometheus");
      assertThat(vars.path(0).path("current").path("value").asText()).isEqualTo(DATASOURCE_UID);
      for (JsonNode v : vars) {
        assertThat(variables.add(v.path("name").asText())).as("%s: variable %s once", name, v.path("name")).isTrue();
        if (v.path("type").asText().equals("query")) {
          assertThat(v.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        }
      }

      // Alert annotations: firing alerts from Prometheus.
      assertThat(d.path("annotations").path("list").findValuesAsText("expr"))
          .as("%s annotates firing alerts", name).anySatisfy(e -> assertThat(e).startsWith("ALERTS{alertstate=\"firing\""));

      Set<Integer> ids = new HashSet<>();
      List<JsonNode> panels = MonitoringFiles.panels(d);
      assertThat(panels).as(name).hasSizeGreaterThanOrEqualTo(6);
      for (JsonNode p : panels) {
        String where = name + " panel '" + p.path("title").asText() + "'";
        assertThat(p.path("id").isInt()).as(where + " has an id").isTrue();
        assertThat(ids.add(p.path("id").asInt())).as(where + ": id %s is unique", p.path("id")).isTrue();
        assertThat(p.path("type").asText()).as(where).isIn("row", "stat", "timeseries", "table");
        assertThat(p.path("title").asText()).as(where).isNotBlank();
        JsonNode grid = p.path("gridPos");
        for (String g : List.of("h", "w", "x", "y")) assertThat(grid.path(g).isInt()).as(where + " gridPos." + g).isTrue();
        assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where + " fits 24 columns").isLessThanOrEqualTo(24);
        if (p.path("type").asText().equals("row")) continue;
        assertThat(p.path("datasource").path("uid").asText()).as(where).isEqualTo("${datasource}");
        assertThat(p.path("targets")).as(where + " queries something").isNotEmpty();
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : p.path("targets")) {
          assertThat(refIds.add(t.path("refId").asText())).as(where + " refIds unique").isTrue();
          assertThat(t.path("expr").asText()).as(where).isNotBlank();
        }
      }
      // Every $variable an expression uses is one of the dashboard's or Grafana's own.
      for (MonitoringFiles.Expression e : MonitoringFiles.dashboardExpressions()) {
        if (!e.where().startsWith(name)) continue;
        Matcher m = Pattern.compile("\\$\\{?([a-z_]+)").matcher(e.promql());
        while (m.find()) {
          assertThat(m.group(1).startsWith("__") || variables.contains(m.group(1)))
              .as("%s uses $%s, which %s does not define", e.where(), m.group(1), name).isTrue();
        }
      }
    }
  }

  @Test
  void everyDashboardQueryIsPromqlThatPromtoolParses() throws Exception {
    // promtool parses the expressions of rules: each dashboard query, its variables substituted, becomes one.
    List<MonitoringFiles.Expression> all = MonitoringFiles.dashboardExpressions();
    assertThat(all).hasSizeGreaterThan(40);
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    for (int i = 0; i < all.size(); i++) {
      rules.append("      - record: dashboard_query_").append(i).append("\n        expr: ")
          .append(MonitoringFiles.JSON.writeValueAsString(MonitoringFiles.substituteGrafanaVariables(
              all.get(i).promql()))).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("dashboard-queries.yml"), rules);
    MonitoringFiles.Run run = MonitoringFiles.promtool(null, "check", "rules", file.toString());
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("SUCCESS: " + all.size() + " rules found");
  }

  @Test
  void theNamesAQueryReadsAreItsMetricsNotItsLabelValues() {
    assertThat(MonitoringFiles.metricNames("max(flink_jobmanager_job_uptime{job_name=\"fleetpulse_metrics\"}) / "
        + "fleetpulse:readings_valid:rate5m + on() fleetpulse_generator_running{shard=\"0/1\"}"))
        .containsExactly("flink_jobmanager_job_uptime", "fleetpulse:readings_valid:rate5m", "fleetpulse_generator_running");
    assertThat(MonitoringFiles.substituteGrafanaVariables("rate(x{site=~\"$site\"}[$__rate_interval])"))
        .isEqualTo("rate(x{site=~\".+\"}[1m])");
  }

  @Test
  void grafanaIsProvisionedWithPrometheusAndTheDashboards() {
    JsonNode datasources = MonitoringFiles.yaml(GRAFANA_DIR.resolve("provisioning/datasources/fleetpulse-prometheus.yml"));
    assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
    assertThat(datasources.path("datasources")).hasSize(1);
    JsonNode ds = datasources.path("datasources").path(0);
    assertThat(ds.path("type").asText()).isEqualTo("prometheus");
    assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
    assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");

    JsonNode providers = MonitoringFiles.yaml(GRAFANA_DIR.resolve("provisioning/dashboards/fleetpulse.yml"));
    assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
    JsonNode provider = providers.path("providers").path(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    String path = provider.path("options").path("path").asText();

    JsonNode compose = MonitoringFiles.compose().path("services");
    JsonNode grafana = compose.path("grafana");
    assertThat(grafana.path("image").asText()).matches("grafana/grafana:11\\.\\d+\\.\\d+");
    assertThat(texts(grafana.path("volumes"))).contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro",
            "./monitoring/grafana/dashboards:" + path + ":ro");
    assertThat(grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
        .startsWith(path + "/").satisfies(home -> assertThat(GRAFANA_DIR.resolve("dashboards")
            .resolve(home.substring(path.length() + 1))).exists());

    JsonNode prometheus = compose.path("prometheus");
    assertThat(prometheus.path("image").asText()).matches("prom/prometheus:v2\\.\\d+\\.\\d+");
    assertThat(texts(prometheus.path("volumes"))).contains("./monitoring/prometheus:/etc/prometheus:ro");
    assertThat(texts(prometheus.path("command"))).contains("--config.file=/etc/prometheus/prometheus.yml");

    // The compose scrape config names compose's own services on the ports they serve.
    Map<String, List<String>> targets = targets(PROMETHEUS_DIR.resolve("prometheus.yml"));
    assertThat(targets.get("flink")).containsExactly("jobmanager:9249", "taskmanager-1:9249", "taskmanager-2:9249");
    assertThat(targets.get("fleetpulse-generator")).containsExactly("generator-0:9250", "generator-1:9250");
    for (String target : targets.values().stream().flatMap(List::stream).toList()) {
      assertThat(compose.has(target.substring(0, target.indexOf(':')))).as(target).isTrue();
    }
    assertThat(compose.path("jobmanager").path("environment").path("FLINK_PROPERTIES").asText())
        .contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .contains("metrics.reporter.prom.port: 9249");
    for (String generator : List.of("generator-0", "generator-1")) {
      assertThat(texts(compose.path(generator).path("command"))).contains("--generator-metrics-port=9250", "--bind=0.0.0.0");
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
