package io.fleetpulse.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) for a long-running command: the shutdown hook asks the work to stop, then holds the JVM until
 * the command has finished cleanly (every window committed, the producer flushed, the server closed), so that a stop
 * loses nothing. Closing it marks the command finished and takes the hook away again.
 */
public final class GracefulStop implements AutoCloseable {

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private GracefulStop(String name, Runnable requestStop, Duration maxWait) {
    this.hook = new Thread(() -> {
      if (finished.getCount() == 0) return; // a normal exit: nothing to stop
      requestStop.run();
      try {
        finished.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
  }

  /** Registers the hook: on a stop signal, {@code requestStop} runs and the JVM waits up to {@code maxWait}. */
  public static GracefulStop install(String name, Runnable requestStop, Duration maxWait) {
    GracefulStop stop = new GracefulStop(name, requestStop, maxWait);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it is what stopped us, and it can now return.
    }
  }
}
