package io.fleetpulse.query;

import io.fleetpulse.lake.LakeFiles;
import io.fleetpulse.lake.ListingCache;
import io.fleetpulse.lake.PartitionListing;
import io.fleetpulse.schema.Tables;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * An in-memory DuckDB holding one view per lake table, locked down before anyone else gets a connection:
 * <ul>
 *   <li>file access only below the table folders ({@code allowed_directories}, then
 *       {@code enable_external_access=false}): no other file is readable, no database attachable from disk;</li>
 *   <li>no extension installed or loaded (autoinstall/autoload off, community extensions off);</li>
 *   <li>nothing spills to disk ({@code temp_directory} empty), memory and threads capped;</li>
 *   <li>{@code lock_configuration=true} last, so no statement can undo any of it.</li>
 * </ul>
 * The engine alone would still let a statement write below the table folders (COPY) or create in-memory objects;
 * {@link SqlGuard} only lets single read-only queries through. Views are rebuilt before each query from one listing
 * of the lake (explicit file lists, never a glob: lake maintenance may be swapping files), so a lake that fills
 * while we run (the demo) gains its views as they appear.
 */
final class LakeDatabase implements AutoCloseable {

  /** A view over the alert updates keeping the latest record per alert id, as the Alert schema prescribes. */
  static final String ALERTS_LATEST = "alerts_latest";

  private final Lake lake;
  private final DuckDBConnection owner;
  private final Set<String> views = new LinkedHashSet<>();
  /** The statement each view was last made with, so an unchanged listing rebuilds nothing. */
  private final Map<String, String> viewSql = new HashMap<>();
  /** Partitions are listed again only when their folder changed: thousands of them, before every query. */
  private final ListingCache listings = new ListingCache();
  private SqlGuard guard;

  private LakeDatabase(Lake lake, DuckDBConnection owner) {
    this.lake = lake;
    this.owner = owner;
  }

  static LakeDatabase open(Lake lake, QueryLimits limits) {
    DuckDBConnection c;
    try {
      c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", new Properties());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
    }
    LakeDatabase db = new LakeDatabase(lake, c);
    try {
      db.lockDown(limits);
      // DuckDB's own names, read before the lake's views exist, so none of those counts as DuckDB's.
      db.guard = new SqlGuard(SystemCatalog.read(c));
      db.refresh();
      return db;
    } catch (SQLException | RuntimeException e) {
      db.close();
      if (e instanceof QueryException qe) throw qe;
      throw new IllegalStateException("cannot set up DuckDB over " + lake + ": " + e.getMessage(), e);
    }
  }

  private void lockDown(QueryLimits limits) throws SQLException {
    List<String> settings = new ArrayList<>();
    // Day and hour roll-ups are UTC, like the Hive partitions.
    settings.add("SET GLOBAL TimeZone = 'UTC'");
    if (limits.threads() != null) settings.add("SET GLOBAL threads = " + limits.threads());
    if (limits.memoryLimit() != null) settings.add("SET GLOBAL memory_limit = " + quote(limits.memoryLimit().trim()));
    settings.add("SET GLOBAL temp_directory = ''");
    settings.add("SET GLOBAL autoinstall_known_extensions = false");
    settings.add("SET GLOBAL autoload_known_extensions = false");
    settings.add("SET GLOBAL allow_community_extensions = false");
    settings.add("SET GLOBAL allowed_directories = " + allowedDirectories());
    settings.add("SET GLOBAL enable_external_access = false");
    settings.add("SET GLOBAL lock_configuration = true");
    try (Statement st = owner.createStatement()) {
      for (String s : settings) st.execute(s);
    }
  }

  /** Every table folder, present or not yet, each with a trailing slash so a sibling sharing its prefix is out. */
  private String allowedDirectories() {
    List<String> dirs = new ArrayList<>();
    for (String table : Tables.ALL) dirs.add(quote(lake.tableDir(table) + "/"));
    return "[" + String.join(", ", dirs) + "]";
  }

  /**
   * Rebuilds every view from one listing of the lake (each query calls this): a view reads exactly the files the
   * listing names ({@link LakeFiles}), so a compaction or retention running meanwhile shows each row once. Tables
   * gain their view with their first file; returns every view, tables first.
   */
  synchronized List<String> refresh() {
    Map<String, List<PartitionListing>> byTable = new LinkedHashMap<>();
    for (String table : Tables.ALL) {
      List<PartitionListing> ls = listings.listings(lake.root(), table);
      byTable.put(table, ls);
      List<Path> files = ls.stream().flatMap(l -> l.visiblePaths().stream()).toList();
      if (files.isEmpty()) {
        if (views.remove(table)) {
          drop(table); // every file retired: gone as it came
          viewSql.remove(table);
        }
        continue;
      }
      createView(table, files);
      if (table.equals(Tables.ALERTS) && !views.contains(ALERTS_LATEST)) createAlertsLatest();
    }
    for (String hourly : Tables.HOURLY) createMetricsView(hourly, byTable);
    createSpans(byTable);
    return List.copyOf(views);
  }

  /** The span views over the tables there are now; one whose tables are all gone is dropped with them. */
  private void createSpans(Map<String, List<PartitionListing>> byTable) {
    Set<String> made = new HashSet<>();
    for (String sql : SpanViews.statements(byTable, System.currentTimeMillis())) {
      String name = sql.substring("CREATE OR REPLACE VIEW ".length(), sql.indexOf(" AS "));
      made.add(name);
      replaceView(name, sql, null, "cannot build a span view over " + lake);
    }
    for (String level : SpanViews.LEVELS.keySet()) {
      String name = level + SpanViews.SUFFIX;
      if (!made.contains(name) && views.remove(name)) {
        drop(name);
        viewSql.remove(name);
      }
    }
  }

  synchronized List<String> views() {
    return List.copyOf(views);
  }

  /** Base tables only: the lake's own tables, without derived views. */
  synchronized List<String> tables() {
    return views.stream().filter(Tables.ALL::contains).toList();
  }

  private void createView(String table, List<Path> files) {
    String typed = "CREATE OR REPLACE VIEW " + table + " AS SELECT * FROM " + LakeFiles.readParquet(files);
    // A table written without date=/hour= folders: still readable, just without typed partition columns.
    String untyped = "CREATE OR REPLACE VIEW " + table + " AS SELECT * FROM read_parquet(" + LakeFiles.fileList(files) + ")";
    replaceView(table, typed, untyped, "cannot read table " + table + " under " + lake);
  }

  /**
   * Creates or replaces view {@code name} with {@code sql} ({@code fallback}, when not null, if that fails), unless
   * the view stands with that very statement: the same files as the last listing (binding a view opens its files'
   * footers). {@code failure} opens the error a user gets when neither statement works.
   */
  private void replaceView(String name, String sql, String fallback, String failure) {
    if (sql.equals(viewSql.get(name)) && views.contains(name)) return;
    viewSql.put(name, sql);
    try (Statement st = owner.createStatement()) {
      try {
        st.execute(sql);
      } catch (SQLException e) {
        if (fallback == null) throw e;
        try (Statement again = owner.createStatement()) {
          again.execute(fallback);
        }
      }
      views.add(name);
    } catch (SQLException e) {
      throw new QueryException(QueryException.Kind.SQL, failure + ": " + SqlErrors.firstLine(e), e);
    }
  }

  /**
   * {@code <level>_metrics}: the finest grain that covers each period, once the level has an hour or day table.
   * Minute rows for each hour whose minute partition is still there; hour rows for the other hours; day rows for
   * the dates with neither. A column {@code grain} ('minute', 'hour', 'day') says which; {@code window_start} and
   * {@code window_end} give each row's period, and sums over a period add up whatever the grain.
   */
  private void createMetricsView(String hourly, Map<String, List<PartitionListing>> byTable) {
    String minute = Tables.minuteTableOf(hourly);
    String daily = Tables.DAILY.stream().filter(d -> Tables.minuteTableOf(d).equals(minute)).findFirst().orElse(null);
    String name = minute.replaceFirst("_window$", "_metrics");
    List<PartitionListing> hours = nonEmpty(byTable.get(hourly));
    List<PartitionListing> days = daily == null ? List.of() : nonEmpty(byTable.get(daily));
    if (hours.isEmpty() && days.isEmpty()) return;
    List<PartitionListing> minutes = nonEmpty(byTable.get(minute));
    Set<String> minuteHours = new HashSet<>();
    Set<LocalDate> finerDates = new HashSet<>();
    List<Path> minuteFiles = new ArrayList<>();
    for (PartitionListing l : minutes) {
      minuteHours.add(l.partition().relative());
      finerDates.add(l.partition().date());
      minuteFiles.addAll(l.visiblePaths());
    }
    List<Path> hourFiles = new ArrayList<>();
    for (PartitionListing l : hours) {
      finerDates.add(l.partition().date());
      if (!minuteHours.contains(l.partition().relative())) hourFiles.addAll(l.visiblePaths());
    }
    List<Path> dayFiles = new ArrayList<>();
    for (PartitionListing l : days) {
      if (!finerDates.contains(l.partition().date())) dayFiles.addAll(l.visiblePaths());
    }
    List<String> parts = new ArrayList<>();
    if (!minuteFiles.isEmpty()) parts.add("SELECT *, 'minute' AS grain FROM " + LakeFiles.readParquet(minuteFiles));
    if (!hourFiles.isEmpty()) parts.add("SELECT *, 'hour' AS grain FROM " + LakeFiles.readParquet(hourFiles));
    if (!dayFiles.isEmpty()) parts.add("SELECT *, 'day' AS grain FROM " + LakeFiles.readParquet(dayFiles));
    String sql = "CREATE OR REPLACE VIEW " + name + " AS " + String.join(" UNION ALL BY NAME ", parts);
    replaceView(name, sql, null, "cannot build view " + name + " under " + lake);
  }

  private static List<PartitionListing> nonEmpty(List<PartitionListing> ls) {
    return ls == null ? List.of() : ls.stream().filter(l -> !l.visible().isEmpty()).toList();
  }

  private void drop(String view) {
    try (Statement st = owner.createStatement()) {
      st.execute("DROP VIEW IF EXISTS " + view);
    } catch (SQLException e) {
      // a view that will not drop stays; its next query names the missing files
    }
  }

  private void createAlertsLatest() {
    // OPEN and RESOLVED updates share alert_id; the latest wins, RESOLVED on a tie ('RESOLVED' > 'OPEN').
    String sql = "CREATE OR REPLACE VIEW " + ALERTS_LATEST + " AS SELECT * FROM " + Tables.ALERTS
        + " QUALIFY row_number() OVER (PARTITION BY alert_id ORDER BY updated_time DESC, status DESC) = 1";
    replaceView(ALERTS_LATEST, sql, null, "cannot build view " + ALERTS_LATEST + " over " + Tables.ALERTS);
  }

  /** A new connection to the same locked database, for one query at a time. */
  DuckDBConnection connect() throws SQLException {
    return owner.duplicate();
  }

  Lake lake() {
    return lake;
  }

  /** The guard every query passes, knowing this DuckDB's own catalog. */
  SqlGuard guard() {
    return guard;
  }

  static String quote(String literal) {
    return "'" + literal.replace("'", "''") + "'";
  }

  @Override
  public synchronized void close() {
    try {
      owner.close();
    } catch (SQLException e) {
      // closing an in-memory database: nothing left to lose
    }
  }
}
