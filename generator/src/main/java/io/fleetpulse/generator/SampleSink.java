package io.fleetpulse.generator;

import io.fleetpulse.model.Sample;

/** Where generated samples go: Kafka in production, memory in tests and benchmarks. */
public interface SampleSink extends AutoCloseable {

  /** Takes one sample; the sample object is reused by the caller right after this returns. */
  void accept(Sample sample);

  /** Blocks until everything accepted so far is durably written; throws if any of it failed. */
  void flush();

  @Override
  void close();
}
