package io.fleetpulse.jobs.window;

import java.util.Arrays;

/**
 * Numbers the distinct chips of an UltraServer window 0, 1, 2, ... in order of arrival (open addressing, linear
 * probing), so per-chip sums can live in plain arrays indexed by slot. Public fields: Flink's POJO serializer
 * stores it inside window state without Kryo.
 */
public class ChipSlots {
  private static final int EMPTY = -1;

  /** Hash table of chip id to slot, or EMPTY. */
  public int[] table = filled(128);
  /** Chip id of each slot. */
  public int[] chips = new int[64];
  public int size;

  public ChipSlots() {}

  /** The chip's slot, given a new one (the next free number) on first sight. */
  public int slotOf(int chip) {
    if (size * 2 >= table.length) rehash(table.length * 2);
    int mask = table.length - 1;
    int i = mix(chip) & mask;
    while (table[i] != EMPTY) {
      int slot = table[i];
      if (chips[slot] == chip) return slot;
      i = (i + 1) & mask;
    }
    if (size == chips.length) chips = Arrays.copyOf(chips, size * 2);
    chips[size] = chip;
    table[i] = size;
    return size++;
  }

  public int size() {
    return size;
  }

  private void rehash(int capacity) {
    table = filled(capacity);
    int mask = capacity - 1;
    for (int slot = 0; slot < size; slot++) {
      int i = mix(chips[slot]) & mask;
      while (table[i] != EMPTY) i = (i + 1) & mask;
      table[i] = slot;
    }
  }

  private static int mix(int x) {
    x *= 0x9E3779B1;
    return x ^ (x >>> 16);
  }

  private static int[] filled(int n) {
    int[] t = new int[n];
    Arrays.fill(t, EMPTY);
    return t;
  }
}
