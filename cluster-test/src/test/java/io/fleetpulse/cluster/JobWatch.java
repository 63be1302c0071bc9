package io.fleetpulse.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/** Follows one job through the REST API: its tasks, checkpoints and restores. */
public final class JobWatch {

  private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

  private final FlinkRest rest;
  private final String jobId;

  public JobWatch(FlinkRest rest, String jobId) {
    this.rest = rest;
    this.jobId = jobId;
  }

  /** Until the job is RUNNING with every task of every vertex RUNNING (not just scheduled). */
  public void awaitAllTasksRunning(Duration timeout) throws Exception {
    Await.until("every task of job " + jobId + " running", timeout, () -> {
      JsonNode job = rest.job(jobId);
      failIfTerminal(job);
      if (!job.path("state").asText().equals("RUNNING")) return false;
      for (JsonNode v : job.path("vertices")) {
        if (v.path("tasks").path("RUNNING").asInt() != v.path("parallelism").asInt()) return false;
      }
      return true;
    });
  }

  public long completedCheckpoints() throws Exception {
    return rest.checkpoints(jobId).path("counts").path("completed").asLong();
  }

  /**
   * After a failure: until the job has restored from a checkpoint, runs every task again and has completed a
   * checkpoint since, i.e. it makes progress again.
   */
  public void awaitRestoredAndCheckpointedAgain(Duration timeout) throws Exception {
    Await.until("job " + jobId + " restored from a checkpoint", timeout,
        () -> rest.checkpoints(jobId).path("counts").path("restored").asLong() > 0);
    awaitAllTasksRunning(timeout);
    long atRestore = completedCheckpoints();
    Await.until("a checkpoint of job " + jobId + " after the restore", timeout, () -> {
      failIfTerminal(rest.job(jobId));
      return completedCheckpoints() > atRestore;
    });
  }

  /** Throws with the job's exceptions if it ended (it should only ever end by our stop). */
  public void failIfTerminal() throws Exception {
    failIfTerminal(rest.job(jobId));
  }

  private void failIfTerminal(JsonNode job) throws Exception {
    String state = job.path("state").asText();
    if (TERMINAL.contains(state)) {
      throw new IllegalStateException("job " + jobId + " is " + state + ": " + rest.exceptionMessages(jobId));
    }
  }
}
