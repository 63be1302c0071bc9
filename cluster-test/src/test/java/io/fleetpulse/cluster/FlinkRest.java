package io.fleetpulse.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The parts of Flink's REST API (the JobManager's, as the web UI and {@code flink run} use it) that deploying and
 * operating the job needs: upload and run a jar, watch the job and its checkpoints, stop it with a savepoint.
 */
public final class FlinkRest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FlinkRest(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  public JsonNode overview() throws Exception {
    return get("/overview");
  }

  /** Resource ids of the registered TaskManagers. */
  public Set<String> taskManagerIds() throws Exception {
    Set<String> ids = new LinkedHashSet<>();
    get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    return ids;
  }

  /** POST /jars/upload (multipart, as the web UI does); returns the jar id the cluster gave it. */
  public String uploadJar(Path jar) throws Exception {
    String boundary = "----fleetpulse" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode answer = send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), "/jars/upload");
    String file = answer.path("filename").asText();
    if (file.isEmpty()) throw new IllegalStateException("upload of " + jar + " returned no file: " + answer);
    return Path.of(file).getFileName().toString();
  }

  /** POST /jars/:id/run with the job's command-line arguments; returns the job id. */
  public String runJar(String jarId, List<String> programArgs, int parallelism) throws Exception {
    ObjectNode request = JSON.createObjectNode();
    request.putPOJO("programArgsList", programArgs);
    request.put("parallelism", parallelism);
    JsonNode answer = post("/jars/" + jarId + "/run", request);
    String jobId = answer.path("jobid").asText();
    if (jobId.isEmpty()) throw new IllegalStateException("run of " + jarId + " returned no job id: " + answer);
    return jobId;
  }

  public JsonNode job(String jobId) throws Exception {
    return get("/jobs/" + jobId);
  }

  public String jobState(String jobId) throws Exception {
    return job(jobId).path("state").asText();
  }

  public JsonNode checkpoints(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  public JsonNode exceptions(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/exceptions");
  }

  /** Resource ids of the TaskManagers running a task of the job in state RUNNING. */
  public Set<String> taskManagersRunning(String jobId) throws Exception {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode vertex : job(jobId).path("vertices")) {
      for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
          .path("taskmanagers")) {
        if (tm.path("status").asText().equals("RUNNING")) ids.add(tm.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  /**
   * POST /jobs/:id/stop: a savepoint, then the job stops; with {@code drain}, the sources first send the final
   * watermark, so every open window fires and is committed. Returns the savepoint's location.
   */
  public String stopWithSavepoint(String jobId, String targetDirectory, boolean drain, Duration timeout)
      throws Exception {
    ObjectNode request = JSON.createObjectNode();
    request.put("drain", drain);
    request.put("targetDirectory", targetDirectory);
    String trigger = post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
    JsonNode done = Await.value("the savepoint of job " + jobId, timeout, () -> {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
      return status.path("status").path("id").asText().equals("COMPLETED") ? status : null;
    });
    JsonNode operation = done.path("operation");
    if (operation.has("failure-cause")) {
      throw new IllegalStateException("stop-with-savepoint failed: " + operation.path("failure-cause"));
    }
    return operation.path("location").asText();
  }

  /** The message of every exception in the job's history, root causes first: what a failover looked like. */
  public List<String> exceptionMessages(String jobId) throws Exception {
    List<String> messages = new ArrayList<>();
    for (JsonNode e : exceptions(jobId).path("exceptionHistory").path("entries")) {
      messages.add(e.path("exceptionName").asText() + ": " + firstLine(e.path("stacktrace").asText()));
    }
    return messages;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  JsonNode get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
  }

  private JsonNode post(String path, JsonNode body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Flink REST " + path + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body());
  }
}
