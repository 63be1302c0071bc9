package io.fleetpulse.cli;

/** Shard i of n (0-based): this process produces the i-th of n disjoint parts of the fleet. */
public record Shard(int index, int count) {

  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "--shard takes i/N with 0 <= i < N (e.g. 0/4 ... 3/4), got " + index + "/" + count);
    }
  }

  public static Shard parse(String text) {
    String[] parts = text.trim().split("/");
    try {
      if (parts.length == 2) return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("--shard takes i/N with 0 <= i < N (e.g. 0/4 ... 3/4), got '" + text + "'");
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
