package io.fleetpulse.metrics;

import java.util.Arrays;
import java.util.TreeSet;

/** The factors_used column: '; '-separated factor descriptions; a roll-up lists each distinct one once. */
public final class FactorsUsed {

  static final String SEPARATOR = "; ";

  private FactorsUsed() {}

  public static String join(String... parts) {
    return String.join(SEPARATOR, parts);
  }

  /** The distinct parts of both, sorted, so the result is the same whatever order roll-ups arrive in. */
  public static String union(String a, String b) {
    if (a == null || a.isEmpty()) return b;
    if (b == null || b.isEmpty() || a.equals(b)) return a;
    TreeSet<String> parts = new TreeSet<>(Arrays.asList(a.split(SEPARATOR)));
    parts.addAll(Arrays.asList(b.split(SEPARATOR)));
    return String.join(SEPARATOR, parts);
  }
}
