package io.fleetpulse.jobs.alerts;

/** What one window of a condition cost for nothing: facility energy (kWh), money (USD), location-based carbon (kg). */
public record Waste(double energyKwh, double costUsd, double carbonKg) {

  public static final Waste NONE = new Waste(0, 0, 0);

  public Waste times(double share) {
    return new Waste(energyKwh * share, costUsd * share, carbonKg * share);
  }
}
