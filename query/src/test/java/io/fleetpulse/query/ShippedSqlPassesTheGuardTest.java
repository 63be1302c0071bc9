package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every piece of SQL the project ships passes the guard as it is: the canned reports, each notebook cell's
 * {@code sql(...)} (and each {@code report(...)} names a report), and the queries of docs/examples/*.sql. A
 * function a report needs and the allow-list lacks fails here, not in front of an analyst.
 */
class ShippedSqlPassesTheGuardTest {

  static final ObjectMapper JSON = new ObjectMapper();
  /** A notebook's call of the helper: sql("""...""") or sql("..."), optionally with a string prefix. */
  static final Pattern NOTEBOOK_CALL = Pattern.compile("\\b(sql|report)\\(\\s*([rbfuRBFU]*)(\"\"\"|\"|')(.*?)\\3",
      Pattern.DOTALL);
  static final List<String> VIEWS = Stream.concat(Tables.ALL.stream(), Stream.of(LakeDatabase.ALERTS_LATEST))
      .toList();

  @TempDir static Path dir;
  static LakeDatabase db;
  static Connection connection;

  @BeforeAll
  static void open() throws SQLException {
    db = LakeDatabase.open(Lake.at(dir), QueryLimits.endpoint());
    connection = db.connect();
  }

  @AfterAll
  static void close() throws SQLException {
    connection.close();
    db.close();
  }

  static Path repo() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
  }

  @Test
  void everyCannedReportPasses() {
    assertThat(Reports.all()).hasSize(Reports.NAMES.size());
    for (Report r : Reports.all()) passes("report " + r.name(), r.sql(), VIEWS);
  }

  @Test
  void everyNotebookQueryPasses() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(repo().resolve("notebooks"))) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertThat(notebooks).hasSizeGreaterThanOrEqualTo(5);
    int queries = 0;
    for (Path nb : notebooks) {
      for (JsonNode cell : JSON.readTree(nb.toFile()).get("cells")) {
        if (!cell.get("cell_type").asText().equals("code")) continue;
        StringBuilder source = new StringBuilder();
        cell.get("source").forEach(line -> source.append(line.asText()));
        Matcher m = NOTEBOOK_CALL.matcher(source);
        while (m.find()) {
          String where = nb.getFileName() + ": " + m.group(1) + "(" + oneLine(m.group(4)) + ")";
          assertThat(m.group(2).toLowerCase(Locale.ROOT)).as("%s: an f-string's SQL cannot be judged here", where)
              .doesNotContain("f");
          if (m.group(1).equals("report")) {
            assertThat(Reports.find(m.group(4))).as(where).isPresent();
          } else {
            passes(where, m.group(4), VIEWS);
            queries++;
          }
        }
      }
    }
    assertThat(queries).as("sql(...) calls found in the notebooks").isGreaterThanOrEqualTo(9);
  }

  /**
   * docs/examples/*.sql are scripts for the DuckDB CLI: they start by making their own views from files
   * ({@code CREATE VIEW w AS ... FROM read_parquet('data/ultraserver_window/...') JOIN read_csv(...)}), which the
   * endpoint refuses by design. Their queries pass over those views, and the views' own expressions pass with
   * the files they read standing for the lake's views of the same name.
   */
  @Test
  void everyDocsExampleQueryPasses() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(repo().resolve("docs/examples"))) {
      scripts = files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(scripts).isNotEmpty();
    int queries = 0;
    for (Path script : scripts) {
      List<String> views = new ArrayList<>(VIEWS);
      for (String statement : statements(Files.readString(script))) {
        String where = script.getFileName() + ": " + oneLine(statement);
        Matcher view = Pattern.compile("(?is)^CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+(\\w+)\\s+AS\\s+(.*)$")
            .matcher(statement);
        if (view.matches()) {
          assertThatThrownBy(() -> db.guard().check(connection, statement, views, Tables.ALL, db.lake()))
              .as(where).isInstanceOfSatisfying(QueryException.class,
                  e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.REFUSED));
          List<String> withFiles = new ArrayList<>(views);
          JsonNode tree = filesAsViews(SqlGuard.parse(connection, view.group(2)), withFiles);
          db.guard().checkTree(tree, withFiles, Tables.ALL, db.lake());
          views.add(view.group(1).toLowerCase(Locale.ROOT));
        } else {
          passes(where, statement, views);
          queries++;
        }
      }
    }
    assertThat(queries).as("queries in docs/examples").isGreaterThanOrEqualTo(5);
  }

  void passes(String where, String sql, List<String> views) {
    try {
      db.guard().check(connection, sql, views, Tables.ALL, db.lake());
    } catch (QueryException e) {
      throw new AssertionError(where + " is refused: " + e.getMessage(), e);
    }
  }

  /** The script's statements: comment lines dropped, split at the semicolons that end a line. */
  static List<String> statements(String script) {
    StringBuilder text = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) text.append(line).append('\n');
    }
    return Stream.of(text.toString().split(";\\s*\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** Replaces each read_parquet('data/TABLE/...')/read_csv('data/NAME.csv') by a table named TABLE or NAME. */
  static JsonNode filesAsViews(JsonNode node, List<String> views) {
    if (node.isObject() && node.path("type").asText().equals("TABLE_FUNCTION")) {
      JsonNode path = node.path("function").path("children").path(0).path("value").path("value");
      String[] parts = path.asText().split("/");
      String name = parts.length > 1 ? parts[1] : parts[0];
      name = name.replaceAll("\\.\\w+$", "");
      views.add(name);
      ObjectNode table = JSON.createObjectNode();
      table.put("type", "BASE_TABLE").put("table_name", name).put("schema_name", "").put("catalog_name", "");
      return table;
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(f -> copy.set(f.getKey(), filesAsViews(f.getValue(), views)));
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      node.forEach(child -> copy.add(filesAsViews(child, views)));
      return copy;
    }
    return node;
  }

  static String oneLine(String sql) {
    String s = sql.replaceAll("\\s+", " ").strip();
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
