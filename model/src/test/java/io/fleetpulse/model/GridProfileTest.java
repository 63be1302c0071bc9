package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The grid profile is a pure function anchored on the eGRID2023 annual factors of the fleet config. */
class GridProfileTest {

  static final FleetConfig CFG = FleetConfigLoader.defaults();
  static final GridProfile PROFILE = GridProfile.defaults();

  @Test
  void theMeanOverTheLocal2023YearIsTheAnnualFactorAndTheCfeMean() {
    for (FleetConfig.Site site : CFG.sites()) {
      GridProfile.Region r = PROFILE.region(site.gridRegion());
      assertThat(r).as(site.gridRegion()).isNotNull();
      long from = LocalDateTime.parse("2023-01-01T00:00").toInstant(
          site.timezone().getRules().getStandardOffset(Instant.parse("2023-01-01T00:00:00Z"))).toEpochMilli();
      double location = 0;
      double cfe = 0;
      for (int h = 0; h < 8760; h++) {
        GridProfile.Hour hour = PROFILE.at(site, from + h * GridProfile.HOUR_MS, 0);
        location += hour.locationGPerKwh();
        cfe += hour.gridCfeShare();
      }
      assertThat(location / 8760).isCloseTo(site.gridFactorGPerKwh(), offset(1e-9 * site.gridFactorGPerKwh()));
      assertThat(cfe / 8760).isCloseTo(r.cfeMean(), offset(1e-9));
    }
  }

  @Test
  void aDayVariesByHourAndSiteWithinPhysicalBounds() {
    long day = Instant.parse("2026-07-15T00:00:00Z").toEpochMilli();
    for (FleetConfig.Site site : CFG.sites()) {
      Set<Double> values = new HashSet<>();
      for (int h = 0; h < 24; h++) {
        GridProfile.Hour hour = PROFILE.at(site, day + h * GridProfile.HOUR_MS + 1234, 0.3);
        assertThat(hour.hourStartMs()).isEqualTo(day + h * GridProfile.HOUR_MS);
        assertThat(hour.gridCfeShare()).isBetween(0.0, 1.0);
        assertThat(hour.locationGPerKwh()).isPositive();
        assertThat(hour.residualGPerKwh()).isGreaterThan(site.gridFactorGPerKwh());
        assertThat(hour.contractedCfeShare()).isEqualTo(0.3);
        assertThat(hour.source()).contains("eGRID2023").contains("Green-e");
        values.add(hour.locationGPerKwh());
      }
      assertThat(values).as(site.id()).hasSizeGreaterThan(12);
    }
    assertThat(PROFILE.at(CFG.site("us-in"), day, 0).locationGPerKwh())
        .isNotEqualTo(PROFILE.at(CFG.site("us-pa"), day, 0).locationGPerKwh());
  }

  @Test
  void aDirtierHourHasLessCarbonFreeSupply() {
    FleetConfig.Site site = CFG.site("us-pa");
    long day = Instant.parse("2026-01-10T00:00:00Z").toEpochMilli();
    GridProfile.Hour a = PROFILE.at(site, day + 3 * GridProfile.HOUR_MS, 0);
    GridProfile.Hour b = PROFILE.at(site, day + 23 * GridProfile.HOUR_MS, 0);
    GridProfile.Hour dirtier = a.locationGPerKwh() > b.locationGPerKwh() ? a : b;
    GridProfile.Hour cleaner = dirtier == a ? b : a;
    assertThat(dirtier.gridCfeShare()).isLessThan(cleaner.gridCfeShare());
  }

  @Test
  void aRegionWithoutAProfileIsFlatAtItsAnnualFactor() {
    FleetConfig.Site s = CFG.site("us-in");
    FleetConfig.Site elsewhere = new FleetConfig.Site("x", "X", s.timezone(), 1, 1.1, "p", "NOPE", 123, "src", 0, 0, 0);
    GridProfile.Hour h = PROFILE.at(elsewhere, 0, 0);
    assertThat(h.locationGPerKwh()).isEqualTo(123);
    assertThat(h.residualGPerKwh()).isEqualTo(123);
    assertThat(h.gridCfeShare()).isZero();
    assertThat(h.source()).contains("no hourly profile");
  }
}
