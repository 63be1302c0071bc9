package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetLayoutTest {

  @Test
  void sitesAndPlacementsTakeTheirConfiguredShares() {
    FleetLayout layout = new FleetLayout(FleetConfigLoader.defaults());
    assertThat(layout.ultraservers()).isEqualTo(15_625);
    int[] perSite = new int[3];
    for (int us = 0; us < layout.ultraservers(); us++) perSite[layout.siteIndex(us)]++;
    assertThat(perSite[0]).isBetween(7811, 7814);
    assertThat(perSite[1]).isBetween(3904, 3908);
    Map<Placement, Integer> counts = layout.placementCounts();
    assertThat(counts.get(Placement.TRAINING) / 15_625.0).isCloseTo(0.45, org.assertj.core.data.Offset.offset(0.001));
    assertThat(counts.get(Placement.MAINTENANCE) / 15_625.0).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.001));
  }

  @Test
  void jobsAreContiguousAndNeverSpanSitesOrGenerations() {
    FleetConfig cfg = FleetConfigLoader.load(null, Map.of("fleet.generation_mix", "{trn2: 0.7, trn3: 0.3}"));
    FleetLayout layout = new FleetLayout(cfg);
    for (int us = 1; us < layout.ultraservers(); us++) {
      if (layout.workload(us) >= 0 && layout.workload(us) == layout.workload(us - 1)) {
        assertThat(layout.siteIndex(us)).isEqualTo(layout.siteIndex(us - 1));
        assertThat(layout.generationIndex(us)).isEqualTo(layout.generationIndex(us - 1));
        assertThat(layout.workloadFirstUltraserver(us)).isEqualTo(layout.workloadFirstUltraserver(us - 1));
      }
    }
    assertThat(layout.workloadCount()).isGreaterThan(100);
  }

  @Test
  void shardsAreDisjointAndCoverTheFleet() {
    FleetLayout layout = new FleetLayout(FleetConfigLoader.defaults());
    int covered = 0;
    int expectedFrom = 0;
    for (int i = 0; i < 7; i++) {
      int[] r = layout.shardRange(i, 7);
      assertThat(r[0]).isEqualTo(expectedFrom);
      covered += r[1] - r[0];
      expectedFrom = r[1];
    }
    assertThat(covered).isEqualTo(layout.ultraservers());
  }
}
