package io.fleetpulse.jobs.carbon;

import io.fleetpulse.schema.GridIntensity;

/**
 * One validated grid-intensity record inside the job (a Flink POJO): the site's grid figures for one UTC hour.
 * {@code contractedCfeShare} is NaN when the record gives none (the telemetry's renewable_share then stands).
 */
public class HourlyGrid {

  public static final long HOUR_MS = 3_600_000L;

  public String site;
  public long hourStart;
  public double locationGPerKwh;
  public double gridCfeShare;
  public double residualGPerKwh;
  public double contractedCfeShare = Double.NaN;
  public String source = "";

  public HourlyGrid() {}

  public HourlyGrid(String site, long hourStart, double locationGPerKwh, double gridCfeShare, double residualGPerKwh,
      double contractedCfeShare, String source) {
    this.site = site;
    this.hourStart = hourStart;
    this.locationGPerKwh = locationGPerKwh;
    this.gridCfeShare = gridCfeShare;
    this.residualGPerKwh = residualGPerKwh;
    this.contractedCfeShare = contractedCfeShare;
    this.source = source;
  }

  static HourlyGrid of(GridIntensity g) {
    return new HourlyGrid(g.getSite(), g.getHourStart().toEpochMilli(), g.getLocationGPerKwh(), g.getGridCfeShare(),
        g.getResidualGPerKwh(), g.getContractedCfeShare() == null ? Double.NaN : g.getContractedCfeShare(),
        g.getSource());
  }

  /** The contracted share, or null when the record gives none. */
  public Double contracted() {
    return Double.isNaN(contractedCfeShare) ? null : contractedCfeShare;
  }

  @Override
  public String toString() {
    return "HourlyGrid{" + site + " @" + hourStart + ": " + locationGPerKwh + " g/kWh, cfe " + gridCfeShare
        + ", residual " + residualGPerKwh + ", contracted " + contractedCfeShare + "}";
  }
}
