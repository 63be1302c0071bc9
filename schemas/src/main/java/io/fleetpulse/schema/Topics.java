package io.fleetpulse.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The Kafka topics of FleetPulse (docs/design.md §4), and an idempotent way to create them. */
public final class Topics {

  public static final String TELEMETRY = "fleet.telemetry";
  public static final String DEAD_LETTER = "fleet.telemetry.dlq";
  public static final String METRICS_ULTRASERVER = "fleet.metrics.ultraserver";
  public static final String METRICS_SITE = "fleet.metrics.site";
  /** Fleet-level windows, and the per-generation roll-ups (level GENERATION) beside them. */
  public static final String METRICS_FLEET = "fleet.metrics.fleet";
  public static final String ALERTS = "fleet.alerts";

  public static final List<String> ALL =
      List.of(TELEMETRY, DEAD_LETTER, METRICS_ULTRASERVER, METRICS_SITE, METRICS_FLEET, ALERTS);

  private Topics() {}

  /**
   * Creates the topics that do not exist yet, with the given partitions and replication; existing topics are left
   * as they are. Fails with the broker's reason otherwise (e.g. not authorised, replication above broker count).
   */
  public static void ensure(Map<String, Object> adminConfig, Map<String, Integer> partitions, short replication,
      Map<String, String> topicConfig) {
    try (Admin admin = Admin.create(adminConfig)) {
      List<NewTopic> topics = new ArrayList<>();
      partitions.forEach((name, n) -> topics.add(new NewTopic(name, n, replication).configs(topicConfig)));
      for (var result : admin.createTopics(topics).values().entrySet()) {
        try {
          result.getValue().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e.getCause());
          }
        } catch (TimeoutException e) {
          throw new IllegalStateException("cannot create topic " + result.getKey() + ": no answer from "
              + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " within 60 s", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while creating topics", e);
        }
      }
    }
  }
}
