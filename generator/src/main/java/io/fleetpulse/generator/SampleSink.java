package io.fleetpulse.generator;

import io.fleetpulse.model.GridProfile;
import io.fleetpulse.model.Sample;

/** Where generated samples go: Kafka in production, memory in tests and benchmarks. */
public interface SampleSink extends AutoCloseable {

  /** Takes one sample; the sample object is reused by the caller right after this returns. */
  void accept(Sample sample);

  /**
   * Says that every sample stamped before {@code completeUntilMs} has been handed over ({@code endOfRun}: and nothing
   * more will come): the Kafka sink writes it to every partition as a progress marker, so a job can close a window as
   * soon as its last sample is in. Sinks without readers of progress ignore it.
   */
  default void progress(long completeUntilMs, boolean endOfRun) {}

  /**
   * Takes one site's grid figures for an hour, handed over before any sample of that hour (the Kafka sink writes
   * them to the grid-intensity topic when it has one). Sinks without a grid-intensity reader ignore them.
   */
  default void gridIntensity(GridProfile.Hour hour) {}

  /** Blocks until everything accepted so far is durably written; throws if any of it failed. */
  void flush();

  @Override
  void close();
}
