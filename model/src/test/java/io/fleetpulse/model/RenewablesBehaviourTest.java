package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each site's renewable share: solar by the site's local standard time, wind a smooth mean-reverting walk. Solar is
 * checked against the configured bell computed here from java.time; wind by its statistics.
 */
class RenewablesBehaviourTest {

  static final long HOUR_MS = 3_600_000L;

  @Test
  void withSteadyWindTheShareIsTheSolarBellOfEachSitesStandardTime() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of(
        "sites.us-in.wind_variability", "0", "sites.us-pa.wind_variability", "0", "sites.us-ms.wind_variability", "0")));
    FleetConfig cfg = model.config();
    FleetConfig.Renewables r = cfg.renewables();
    long firstHour = Instant.parse("2026-07-01T00:00:00Z").toEpochMilli() / HOUR_MS;
    int[] peakUtcHour = new int[3];
    for (int site = 0; site < 3; site++) {
      FleetConfig.Site s = cfg.sites().get(site);
      double best = -1;
      for (long hour = firstHour; hour < firstHour + 24 * 3; hour++) {
        Instant mid = Instant.ofEpochMilli(hour * HOUR_MS + HOUR_MS / 2);
        int offsetS = s.timezone().getRules().getStandardOffset(mid).getTotalSeconds();
        double h = Math.floorMod(mid.getEpochSecond() + offsetS, 86_400) / 3600.0;
        double solar = h > r.solarSunriseHour() && h < r.solarSunsetHour()
            ? s.solarPeakShare() * Math.sin(Math.PI * (h - r.solarSunriseHour()) / (r.solarSunsetHour() - r.solarSunriseHour()))
            : 0;
        double share = model.renewableShare(site, hour);
        assertThat(share).as("site %s, %s", s.id(), mid).isCloseTo(Math.min(1, solar + s.windMeanShare()), offset(1e-12));
        if (share > best) {
          best = share;
          peakUtcHour[site] = (int) (hour % 24);
        }
      }
    }
    // Solar peaks at 13:00 standard time, summer or not: 18:00 UTC in Indiana and Pennsylvania (UTC-5), 19:00 UTC in
    // Mississippi (UTC-6); the share of 12:00-13:00 and 13:00-14:00 tie, so the first of them wins: 17 and 18.
    assertThat(peakUtcHour).containsExactly(17, 17, 18);
  }

  @Test
  void windIsASmoothMeanRevertingWalkIndependentPerSite() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of(
        "sites.us-in.solar_peak_share", "0", "sites.us-pa.solar_peak_share", "0",
        "sites.us-in.wind_mean_share", "0.4", "sites.us-pa.wind_mean_share", "0.4")));
    FleetConfig.Site in = model.config().sites().get(0);
    int hours = 24 * 365;
    long first = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() / HOUR_MS;
    double[] a = new double[hours];
    double[] b = new double[hours];
    double maxStep = 0;
    double sumStep = 0;
    for (int i = 0; i < hours; i++) {
      a[i] = model.renewableShare(0, first + i);
      b[i] = model.renewableShare(1, first + i);
      if (i > 0) {
        maxStep = Math.max(maxStep, Math.abs(a[i] - a[i - 1]));
        sumStep += Math.abs(a[i] - a[i - 1]);
      }
    }
    assertThat(mean(a)).isCloseTo(in.windMeanShare(), offset(0.03));
    // Unit-variance levels joined by smoothstep: the hourly values vary a little less than the levels do.
    assertThat(Math.sqrt(variance(a))).isBetween(0.7 * in.windVariability(), 1.05 * in.windVariability());
    // Smooth: no hour jumps; persistent: close hours alike; mean-reverting: days apart, unrelated.
    assertThat(sumStep / (hours - 1)).isLessThan(0.25 * in.windVariability());
    assertThat(maxStep).isLessThan(in.windVariability());
    assertThat(autocorrelation(a, 3)).isGreaterThan(0.75);
    assertThat(autocorrelation(a, 24 * 4)).isBetween(-0.15, 0.15);
    assertThat(correlation(a, b)).isBetween(-0.15, 0.15);
  }

  @Test
  void everyChipReportsItsSitesShareForTheHour() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400"));
    run.walkAll(run.tickAt("2026-11-25T10:00:00Z"), 2 * 360, 37, (tick, s) -> assertThat(s.renewableShare)
        .isEqualTo(run.model.renewableShare(s.site, Math.floorDiv(tick * run.model.intervalMs(), HOUR_MS))));
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }

  static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) s += (v - m) * (v - m);
    return s / x.length;
  }

  static double autocorrelation(double[] x, int lag) {
    return correlation(java.util.Arrays.copyOfRange(x, 0, x.length - lag), java.util.Arrays.copyOfRange(x, lag, x.length));
  }

  static double correlation(double[] x, double[] y) {
    double mx = mean(x), my = mean(y);
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
