package io.fleetpulse.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The files the page is made of, read from the classpath once at start: the page itself and, from the uPlot
 * WebJar, the chart library. Served from memory under fixed names, so nothing else on the classpath can be
 * requested, and the page works offline (no CDN).
 */
final class WebAssets {

  /** One file to serve. */
  record Asset(byte[] bytes, String contentType, boolean immutable) {}

  private static final String PAGE_DIR = "io/fleetpulse/dashboard/web/";
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private final Map<String, Asset> byPath = new LinkedHashMap<>();
  private final String uplotVersion;

  WebAssets() {
    uplotVersion = readUplotVersion();
    page("/", "index.html", "text/html; charset=utf-8");
    page("/app/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8");
    page("/app/dashboard.css", "dashboard.css", "text/css; charset=utf-8");
    page("/favicon.svg", "favicon.svg", "image/svg+xml");
    String dist = "META-INF/resources/webjars/uplot/" + uplotVersion + "/dist/";
    byPath.put("/vendor/uPlot.iife.min.js",
        new Asset(read(dist + "uPlot.iife.min.js"), "text/javascript; charset=utf-8", true));
    byPath.put("/vendor/uPlot.min.css", new Asset(read(dist + "uPlot.min.css"), "text/css; charset=utf-8", true));
  }

  Map<String, Asset> byPath() {
    return byPath;
  }

  String uplotVersion() {
    return uplotVersion;
  }

  private void page(String path, String file, String contentType) {
    byPath.put(path, new Asset(read(PAGE_DIR + file), contentType, false));
  }

  private static String readUplotVersion() {
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the classpath; "
            + "the dashboard module depends on it: rebuild with ./mvnw package");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing dashboard resource " + resource + " on the classpath");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
