package io.fleetpulse.jobs;

import java.util.Arrays;

/**
 * A small set of chip ids (open addressing, linear probing) for counting distinct chips per UltraServer window.
 * Public fields so that Flink's POJO serializer stores it inside the window state without Kryo.
 */
public class ChipSet {
  private static final int EMPTY = -1;

  public int[] table = emptyTable(128);
  public int size;

  public ChipSet() {}

  public void add(int chip) {
    if (size * 2 >= table.length) grow();
    int mask = table.length - 1;
    int i = mix(chip) & mask;
    while (table[i] != EMPTY) {
      if (table[i] == chip) return;
      i = (i + 1) & mask;
    }
    table[i] = chip;
    size++;
  }

  public void addAll(ChipSet other) {
    for (int c : other.table) {
      if (c != EMPTY) add(c);
    }
  }

  public int size() {
    return size;
  }

  private void grow() {
    int[] old = table;
    table = emptyTable(old.length * 2);
    size = 0;
    for (int c : old) {
      if (c != EMPTY) add(c);
    }
  }

  private static int mix(int x) {
    x *= 0x9E3779B1;
    return x ^ (x >>> 16);
  }

  private static int[] emptyTable(int n) {
    int[] t = new int[n];
    Arrays.fill(t, EMPTY);
    return t;
  }
}
