package io.fleetpulse.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The hourly grid intensity of a site as a pure function of (site, hour): a representative diurnal and seasonal
 * shape per eGRID subregion ({@code grid-profile.yaml}, its sources and how it was made in its header and in
 * docs/fleet-model.md), anchored so that the mean over the 8,760 hours of 2023 is the site's eGRID2023 annual
 * factor. A region without a profile gets a flat hour at the annual factor, its residual mix set to the same
 * factor and no grid carbon-free share, and says so in its source.
 */
public final class GridProfile implements Serializable {

  private static final long serialVersionUID = 1L;
  public static final long HOUR_MS = 3_600_000L;
  private static final String RESOURCE = "grid-profile.yaml";
  /** Days of 2023's months: the year the shape is anchored on. */
  private static final int[] DAYS_2023 = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /** One region's shape. Arrays are normalized to mean 1 (the seasonal one by days of 2023's months). */
  public record Region(String id, String balancingAuthority, double cfeMean, double residualGPerKwh,
      String residualSource, double[] diurnal, double[] seasonal) implements Serializable {

    /** The intensity multiplier of a local standard hour (0..23) in a month (1..12). */
    public double multiplier(int localHour, int month) {
      return diurnal[localHour] * seasonal[month - 1];
    }
  }

  /** One site's figures for one UTC hour. */
  public record Hour(String site, long hourStartMs, double locationGPerKwh, double gridCfeShare,
      double residualGPerKwh, double contractedCfeShare, String source) {}

  private final int edition;
  private final Map<String, Region> regions;

  private GridProfile(int edition, Map<String, Region> regions) {
    this.edition = edition;
    this.regions = regions;
  }

  private static final GridProfile DEFAULTS = load();

  public static GridProfile defaults() {
    return DEFAULTS;
  }

  public int edition() {
    return edition;
  }

  /** Null when the region has no profile. */
  public Region region(String id) {
    return regions.get(id);
  }

  /**
   * The site's figures for the UTC hour holding {@code timeMs}. {@code contractedCfeShare} is the site's contracted
   * carbon-free supply for the hour as a share of its consumption (the fleet model's renewables), handed in so the
   * record carries it; it does not change the grid's figures.
   */
  public Hour at(FleetConfig.Site site, long timeMs, double contractedCfeShare) {
    long hourStart = Math.floorDiv(timeMs, HOUR_MS) * HOUR_MS;
    Region r = regions.get(site.gridRegion());
    double annual = site.gridFactorGPerKwh();
    if (r == null) {
      return new Hour(site.id(), hourStart, annual, 0, annual, contractedCfeShare, "no hourly profile for "
          + site.gridRegion() + ": flat at its annual factor (" + site.gridFactorSource() + ")");
    }
    // Local standard time: the shape follows the sun and the load, and neither keeps daylight saving time.
    Instant at = Instant.ofEpochMilli(hourStart);
    ZoneOffset standard = site.timezone().getRules().getStandardOffset(at);
    ZonedDateTime local = at.atZone(standard);
    double mult = r.multiplier(local.getHour(), local.getMonthValue());
    double cfe = Math.min(1, Math.max(0, 1 - (1 - r.cfeMean()) * mult));
    return new Hour(site.id(), hourStart, annual * mult, cfe, r.residualGPerKwh(), contractedCfeShare,
        "FleetPulse grid profile " + edition + " (" + r.id() + ", EIA-930 shape anchored on "
            + site.gridFactorSource() + "; residual " + r.residualSource() + ")");
  }

  static GridProfile load() {
    try (InputStream in = GridProfile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
      Map<String, Region> regions = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("regions").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        regions.put(e.getKey(), region(e.getKey(), e.getValue()));
      }
      return new GridProfile(root.path("edition").asInt(), regions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Region region(String id, JsonNode n) {
    double amp = n.path("diurnal_amplitude").asDouble();
    double peak = n.path("diurnal_peak_hour").asDouble();
    double dip = n.path("solar_dip").asDouble();
    double[] diurnal = new double[24];
    double sum = 0;
    for (int h = 0; h < 24; h++) {
      double solar = h >= 6 && h <= 20 ? Math.max(0, Math.cos(2 * Math.PI * (h - 13) / 14.0)) : 0;
      diurnal[h] = 1 + amp * Math.cos(2 * Math.PI * (h - peak) / 24.0) - dip * solar;
      sum += diurnal[h];
    }
    for (int h = 0; h < 24; h++) diurnal[h] /= sum / 24;
    double samp = n.path("seasonal_amplitude").asDouble();
    double speak = n.path("seasonal_peak_month").asDouble();
    double[] seasonal = new double[12];
    double weighted = 0;
    for (int m = 0; m < 12; m++) {
      seasonal[m] = 1 + samp * Math.cos(2 * Math.PI * (m + 1 - speak) / 12.0);
      weighted += seasonal[m] * DAYS_2023[m];
    }
    for (int m = 0; m < 12; m++) seasonal[m] /= weighted / 365;
    return new Region(id, n.path("balancing_authority").asText(), n.path("cfe_mean").asDouble(),
        n.path("residual_mix_g_per_kwh").asDouble(), n.path("residual_mix_source").asText(), diurnal, seasonal);
  }
}
