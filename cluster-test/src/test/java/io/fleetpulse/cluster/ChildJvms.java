package io.fleetpulse.cluster;

import io.fleetpulse.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every JVM a test started, stopped in reverse order on close, and killed by a shutdown hook if the test JVM itself
 * is ended first (a Surefire timeout, Ctrl-C): a failed run must not leave brokers and TaskManagers behind.
 */
public final class ChildJvms implements AutoCloseable {

  private final List<ChildJvm> started = new ArrayList<>();
  private final Thread reaper = new Thread(this::killAll, "cluster-test-reaper");

  public ChildJvms() {
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  public synchronized ChildJvm add(ChildJvm jvm) {
    started.add(jvm);
    return jvm;
  }

  private synchronized void killAll() {
    started.forEach(ChildJvm::kill);
  }

  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) started.get(i).stop(Duration.ofSeconds(10));
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running already: it does the same.
    }
  }
}
