package io.fleetpulse.jobs.window;

import java.util.Arrays;

/**
 * Which interval slots of one window each chip of an UltraServer has a sample for: {@link #wordsPerChip} longs of
 * bits per chip, chips numbered in order of arrival ({@link ChipSlots}). Public fields: Flink's POJO serializer keeps
 * it in keyed state without Kryo.
 */
public class SeenSlots {
  public ChipSlots chips = new ChipSlots();
  public long[] bits = new long[0];
  public int wordsPerChip = 1;

  public SeenSlots() {}

  static SeenSlots forSlots(long slots) {
    SeenSlots s = new SeenSlots();
    s.wordsPerChip = (int) ((Math.max(1, slots) + 63) / 64);
    s.bits = new long[64 * s.wordsPerChip];
    return s;
  }

  /** Marks the chip's slot; false when it was marked already (the sample is a duplicate). */
  boolean mark(int chipId, long slot) {
    int chip = chips.slotOf(chipId);
    int words = (chip + 1) * wordsPerChip;
    if (words > bits.length) bits = Arrays.copyOf(bits, Math.max(words, 2 * bits.length));
    int word = chip * wordsPerChip + (int) Math.min(slot >>> 6, wordsPerChip - 1);
    long bit = 1L << (slot & 63);
    if ((bits[word] & bit) != 0) return false;
    bits[word] |= bit;
    return true;
  }
}
