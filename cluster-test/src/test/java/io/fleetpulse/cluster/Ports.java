package io.fleetpulse.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/** Free loopback ports for processes whose ports must be known before they start (voters, RPC, REST). */
public final class Ports {

  public static final String HOST = "127.0.0.1";

  private Ports() {}

  public static int free() {
    try {
      return io.fleetpulse.platform.LocalMachine.freePort(InetAddress.getByName(HOST));
    } catch (IOException e) {
      throw new UncheckedIOException("no loopback address " + HOST, e);
    }
  }
}
