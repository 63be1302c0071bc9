package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The monitoring files of the repository (monitoring/prometheus/, monitoring/grafana/) as the tests read them: the
 * dashboards, every PromQL expression in them and in the rules, and promtool.
 */
final class MonitoringFiles {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path PROMETHEUS_DIR = ROOT.resolve("monitoring/prometheus");
  static final Path GRAFANA_DIR = ROOT.resolve("monitoring/grafana");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Metric names as PromQL writes them: Flink's, the generator's, and the recording rules'. */
  static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_]+|fleetpulse_[a-z0-9_]+|fleetpulse:[a-z0-9_:]+)");

  private MonitoringFiles() {}

  /** One PromQL expression and where it is (file, panel or rule), for messages. */
  record Expression(String where, String promql) {}

  static List<Path> files(Path dir, String suffix) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> dashboardFiles() {
    return files(GRAFANA_DIR.resolve("dashboards"), ".json");
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(ROOT.relativize(file) + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(ROOT.relativize(file) + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** docker-compose.yml with its anchors, aliases and merge keys resolved (SnakeYAML reads them; Jackson does not). */
  static JsonNode compose() {
    try (var in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
      return JSON.valueToTree(new org.yaml.snakeyaml.Yaml().load(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The panels of a dashboard, those inside collapsed rows too. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      all.add(p);
      for (JsonNode inner : p.path("panels")) all.add(inner);
    }
    return all;
  }

  /**
   * Every PromQL expression of the dashboards: panel targets, annotation queries and variable queries (Grafana's
   * label_values(METRIC, LABEL) reads as the selector METRIC). Grafana's own variables are still in them.
   */
  static List<Expression> dashboardExpressions() {
    List<Expression> all = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode d = json(file);
      String name = file.getFileName().toString();
      for (JsonNode p : panels(d)) {
        for (JsonNode t : p.path("targets")) {
          all.add(new Expression(name + " panel " + p.path("id").asInt() + " '" + p.path("title").asText() + "' "
              + t.path("refId").asText(), t.path("expr").asText()));
        }
      }
      for (JsonNode a : d.path("annotations").path("list")) {
        if (a.has("expr")) all.add(new Expression(name + " annotation '" + a.path("name").asText() + "'",
            a.path("expr").asText()));
      }
      for (JsonNode v : d.path("templating").path("list")) {
        if (!v.path("type").asText().equals("query")) continue;
        String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
        Matcher m = Pattern.compile("^label_values\\((.+),\\s*[a-zA-Z_]+\\)$").matcher(q.strip());
        all.add(new Expression(name + " variable " + v.path("name").asText(), m.matches() ? m.group(1) : q));
      }
    }
    return all;
  }

  /** The expr of every alerting and recording rule in rules/*.yml. */
  static List<Expression> ruleExpressions() {
    List<Expression> all = new ArrayList<>();
    for (Path file : files(PROMETHEUS_DIR.resolve("rules"), ".yml")) {
      for (JsonNode group : yaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
          all.add(new Expression(file.getFileName() + " " + name, rule.path("expr").asText()));
        }
      }
    }
    return all;
  }

  /** Grafana's variables replaced as Grafana would before a query: intervals by durations, the rest by any value. */
  static String substituteGrafanaVariables(String promql) {
    return promql.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h")
        .replaceAll("\\$\\{[a-z_]+\\}|\\$[a-z_]+", ".+");
  }

  /**
   * The metric names an expression reads (label values in quotes aside; not ALERTS, which only exists while an alert
   * is pending or firing).
   */
  static List<String> metricNames(String promql) {
    List<String> names = new ArrayList<>();
    Matcher m = METRIC.matcher(promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""));
    while (m.find()) names.add(m.group(1));
    return names;
  }

  /** What promtool said and how it exited. */
  record Run(int exit, String output) {}

  /** Runs promtool in monitoring/prometheus/ with {@code stdin} (may be null) and returns its exit code and output. */
  static Run promtool(String stdin, String... args) {
    assertThat(PROMTOOL).as("promtool, from Debian's prometheus package, is needed to check the monitoring files: "
        + "sudo apt-get install prometheus").exists();
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(PROMETHEUS_DIR.toFile()).redirectErrorStream(true).start();
      // Written from another thread: promtool may answer before it has read everything.
      Thread feed = new Thread(() -> {
        try (var in = p.getOutputStream()) {
          if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // promtool stopped reading: its exit code and output say why
        }
      }, "promtool-stdin");
      feed.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 2 minutes");
      }
      return new Run(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
