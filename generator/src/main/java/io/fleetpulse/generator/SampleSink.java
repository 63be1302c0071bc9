package io.fleetpulse.generator;

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

  /** Blocks until everything accepted so far is durably written; throws if any of it failed. */
  void flush();

  @Override
  void close();
}
