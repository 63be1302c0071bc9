package io.fleetpulse.lake;

import java.nio.file.Path;

/**
 * Maintenance's own folder, {@code _lake/} beside the tables (so on the same filesystem: a rename from it into a
 * partition is atomic) and outside every table folder (no reader's glob or allow-list reaches it):
 * {@code staging/} holds compacted files until they are renamed in, {@code trash/} what is being deleted,
 * {@code spill/} DuckDB's sort spill.
 */
record LakeDirs(Path root) {

  static final String NAME = "_lake";

  Path base() {
    return root.resolve(NAME);
  }

  Path staging() {
    return base().resolve("staging");
  }

  /** Where compaction {@code id} of {@code p} writes its outputs before they are renamed in. */
  Path staging(Partition p, String id) {
    return staging().resolve(p.table()).resolve(p.relative()).resolve(id);
  }

  Path trash() {
    return base().resolve("trash");
  }

  Path spill() {
    return base().resolve("spill");
  }

  Path lock() {
    return base().resolve("maintenance.lock");
  }
}
