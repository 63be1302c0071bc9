package io.fleetpulse.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may ask the endpoint: with a token, only requests carrying {@code Authorization: Bearer TOKEN}; bound to
 * loopback, only requests addressed to a loopback name, so a web page that rebinds its own host name to
 * 127.0.0.1 (DNS rebinding) cannot read results from the analyst's browser.
 */
final class EndpointAccess {

  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private final byte[] token;
  private final boolean loopbackOnly;

  EndpointAccess(String token, String bind) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.loopbackOnly = isLoopback(bind);
    if (!loopbackOnly && this.token == null) {
      throw new IllegalArgumentException("--bind " + bind + " exposes the lake beyond this machine: set a token "
          + "(--token-file FILE or $FLEETPULSE_QUERY_TOKEN), or keep the default --bind 127.0.0.1");
    }
  }

  static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind: unknown address '" + bind + "' (e.g. 127.0.0.1 or 0.0.0.0)");
    }
  }

  boolean tokenRequired() {
    return token != null;
  }

  /** Null when a request addressed to this Host may proceed, else why not. */
  String hostRefusal(String hostHeader) {
    if (loopbackOnly && !LOOPBACK_NAMES.contains(hostName(hostHeader))) {
      return "host '" + hostHeader + "' is not this machine: the endpoint answers requests to 127.0.0.1 or "
          + "localhost only";
    }
    return null;
  }

  boolean authorized(String authorization) {
    if (token == null) return true;
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  static String hostName(String hostHeader) {
    if (hostHeader == null) return "";
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
