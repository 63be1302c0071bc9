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
 * How often a running job has restarted after a failure (Flink's job metric {@code numRestarts}, through the web UI's
 * REST API): a demo that lost no sample and repeated none should also say it never needed a restart to get there.
 */
final class JobRestarts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobRestarts() {}

  /** The job's restarts, or -1 when the REST API does not answer. */
  static long of(int webPort, JobID job) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + webPort + "/jobs/" + job + "/metrics?get=numRestarts"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return -1;
      for (JsonNode metric : JSON.readTree(r.body())) {
        if (metric.path("id").asText().equals("numRestarts")) return metric.path("value").asLong(-1);
      }
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
