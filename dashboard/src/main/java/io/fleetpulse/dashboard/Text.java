package io.fleetpulse.dashboard;

/** Strings from Kafka on their way into a log line or an error message: short, and on one line. */
final class Text {

  static final int QUOTED_CHARS = 40;

  private Text() {}

  /**
   * The value quoted, cut to {@link #QUOTED_CHARS} characters with its full length said, control characters
   * replaced: a 600 KB site id must not become a 600 KB log line, nor a newline in it a forged second line.
   */
  static String quote(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder(QUOTED_CHARS + 24).append('\'');
    int n = Math.min(s.length(), QUOTED_CHARS);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    b.append('\'');
    if (s.length() > n) b.append("... (").append(s.length()).append(" chars)");
    return b.toString();
  }
}
