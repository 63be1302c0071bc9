package io.fleetpulse.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.JobID;

/**
 * How often a running job has failed (and restarted from its last checkpoint): the entries of its exception history,
 * through the web UI's REST API. A demo that lost no sample and repeated none should also say it needed no restart.
 */
final class JobRestarts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobRestarts() {}

  /** The job's failures so far, or -1 when the REST API does not answer. */
  static long of(int webPort, JobID job) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + webPort + "/jobs/" + job + "/exceptions"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return -1;
      JsonNode entries = JSON.readTree(r.body()).path("exceptionHistory").path("entries");
      return entries.isArray() ? entries.size() : -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
