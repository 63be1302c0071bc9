package io.fleetpulse.cli;

/** How much faster than real time simulated time runs: 1 is real time, 60 a minute per second, max unpaced. */
public record Speedup(double factor) {

  public static final Speedup REAL_TIME = new Speedup(1);
  public static final Speedup MAX = new Speedup(Double.POSITIVE_INFINITY);

  public Speedup {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("--speedup must be > 0 or 'max', got " + factor);
    }
  }

  public static Speedup parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("max")) return MAX;
    try {
      return new Speedup(Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--speedup takes a number > 0 (e.g. 1, 60, 3600) or 'max', got '" + text + "'");
    }
  }

  public boolean unpaced() {
    return Double.isInfinite(factor);
  }

  @Override
  public String toString() {
    return unpaced() ? "max" : (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor));
  }
}
