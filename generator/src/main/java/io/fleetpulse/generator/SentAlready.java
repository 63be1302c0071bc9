package io.fleetpulse.generator;

import io.fleetpulse.model.Sample;

/** Which samples an earlier run of the same shard already wrote, so a resumed run neither skips nor repeats one. */
public interface SentAlready {

  SentAlready NOTHING = s -> false;

  boolean contains(Sample s);
}
