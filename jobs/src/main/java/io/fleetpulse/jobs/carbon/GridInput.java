package io.fleetpulse.jobs.carbon;

import io.fleetpulse.jobs.source.DeadLetter;

/** What one grid-intensity record decoded to: a usable hour, or a dead letter saying why not (a Flink POJO). */
public class GridInput {

  public HourlyGrid grid;
  public DeadLetter deadLetter;

  public GridInput() {}

  static GridInput valid(HourlyGrid g) {
    GridInput in = new GridInput();
    in.grid = g;
    return in;
  }

  static GridInput invalid(DeadLetter d) {
    GridInput in = new GridInput();
    in.deadLetter = d;
    return in;
  }
}
