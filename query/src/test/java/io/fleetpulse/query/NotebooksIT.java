package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks as an analyst runs them: a day of a small fleet through the real pipeline, the SQL endpoint in front
 * of it (with a token, as a shared one would have), and every notebook executed headless with Debian's Jupyter
 * (nbconvert, python3-pandas, python3-matplotlib). A notebook that raises fails the build; each must draw at least
 * one chart. Executed copies go to target/notebooks-executed; the committed notebooks carry no outputs.
 */
@Timeout(900)
class NotebooksIT {

  static final String PYTHON = "/usr/bin/python3";
  static final List<String> PACKAGES = List.of("jupyter-nbconvert", "python3-nbclient", "python3-ipykernel",
      "python3-nbformat", "python3-pandas", "python3-matplotlib");
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final MiniClusterExtension FLINK = PipelineLake.miniCluster();

  @TempDir Path dir;

  static Path notebooksDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../notebooks").normalize();
  }

  static List<Path> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(notebooksDir())) {
      return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  @Test
  void committedNotebooksCarryNoOutputs() throws IOException {
    List<Path> notebooks = notebooks();
    assertThat(notebooks).hasSizeGreaterThanOrEqualTo(5);
    for (Path nb : notebooks) {
      JsonNode cells = JSON.readTree(nb.toFile()).get("cells");
      for (JsonNode cell : cells) {
        if (!cell.get("cell_type").asText().equals("code")) continue;
        assertThat(cell.get("outputs")).as("outputs of a cell in %s (strip them before committing)", nb.getFileName())
            .isEmpty();
        assertThat(cell.get("execution_count").isNull()).as("execution count in %s", nb.getFileName()).isTrue();
      }
    }
  }

  @Test
  void everyNotebookRunsHeadlessAgainstTheEndpoint() throws Exception {
    requireNotebookPython();
    Path data = notebookLake();
    String token = UUID.randomUUID().toString();
    Path out = Path.of(System.getProperty("basedir", ".")).resolve("target/notebooks-executed").toAbsolutePath();
    Files.createDirectories(out);
    try (QueryServer server = QueryServer.start(data, QueryLimits.endpoint(),
        new QueryServer.Settings("127.0.0.1", 0, token), line -> {})) {
      for (Path nb : notebooks()) {
        execute(nb, out, server.url(), token);
        assertDrewChartsWithoutErrors(out.resolve(nb.getFileName()));
      }
    }
  }

  /** The shared pipeline lake's windows, plus alerts: the job's own when it writes them, else the model's. */
  private Path notebookLake() throws Exception {
    PipelineLake lake = PipelineLake.get();
    Path data = dir.resolve("data");
    for (String table : Tables.ALL) {
      Path from = lake.data.resolve(table);
      if (!Files.isDirectory(from)) continue;
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = data.resolve(lake.data.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    if (!Files.isDirectory(data.resolve(Tables.ALERTS))) {
      AlertRecords.write(data, AlertFixtures.fromModel(lake.model, PipelineLake.START,
          PipelineLake.START.plus(PipelineLake.DURATION)));
    }
    return data;
  }

  private void execute(Path notebook, Path out, String url, String token) throws Exception {
    Path log = dir.resolve(notebook.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=300", "--output-dir", out.toString(), notebook.toString())
        .directory(notebook.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // Debian's python and Jupyter first: a pyenv python3 on PATH lacks the packages.
    env.put("PATH", "/usr/bin:/bin:" + env.getOrDefault("PATH", ""));
    env.put("FLEETPULSE_SQL_URL", url);
    env.put("FLEETPULSE_QUERY_TOKEN", token);
    env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    env.put("MPLCONFIGDIR", dir.resolve("matplotlib").toString());
    env.put("JUPYTER_RUNTIME_DIR", dir.resolve("jupyter-runtime").toString());
    env.remove("PYTHONPATH");
    env.remove("PYTHONHOME");
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("notebook " + notebook.getFileName() + " did not finish in 10 minutes:\n" + tail(log));
    }
    if (p.exitValue() != 0) {
      fail("notebook " + notebook.getFileName() + " failed (exit " + p.exitValue() + "):\n" + tail(log));
    }
  }

  private static void assertDrewChartsWithoutErrors(Path executed) throws IOException {
    assertThat(executed).exists();
    List<String> outputTypes = new ArrayList<>();
    int images = 0;
    for (JsonNode cell : JSON.readTree(executed.toFile()).get("cells")) {
      for (JsonNode output : cell.path("outputs")) {
        outputTypes.add(output.get("output_type").asText());
        if (output.path("data").has("image/png")) images++;
        assertThat(output.path("text").asText()).as("%s prints a traceback", executed.getFileName())
            .doesNotContain("Traceback");
      }
    }
    assertThat(outputTypes).as("outputs of %s", executed.getFileName()).doesNotContain("error");
    assertThat(images).as("charts drawn by %s", executed.getFileName()).isPositive();
  }

  private static void requireNotebookPython() throws Exception {
    String probe = "import nbconvert, nbclient, ipykernel, nbformat, pandas, matplotlib";
    String why;
    if (!Files.isExecutable(Path.of(PYTHON))) {
      why = PYTHON + " is missing";
    } else {
      Process p = new ProcessBuilder(PYTHON, "-c", probe).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0) return;
      why = PYTHON + " cannot " + probe + ": " + output.strip();
    }
    fail("The notebook test needs Debian's Jupyter and analysis packages (" + String.join(" ", PACKAGES) + "): "
        + why + ". Run .ci/run (it installs them), or: sudo apt-get install " + String.join(" ", PACKAGES));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
