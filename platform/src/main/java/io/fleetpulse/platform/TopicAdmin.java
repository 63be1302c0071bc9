package io.fleetpulse.platform;

import java.time.Duration;
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

/** Creating topics the one way every FleetPulse process does: idempotently, with the broker's reason on failure. */
public final class TopicAdmin {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

  private TopicAdmin() {}

  /**
   * Creates the topics that do not exist yet, with the given partitions and replication; existing topics are left
   * as they are. Fails with the broker's reason otherwise (e.g. not authorised, replication above broker count).
   */
  public static void ensure(Map<String, Object> adminConfig, Map<String, Integer> partitions, short replication,
      Map<String, String> topicConfig) {
    List<NewTopic> topics = new ArrayList<>();
    partitions.forEach((name, n) -> topics.add(new NewTopic(name, n, replication).configs(topicConfig)));
    try (Admin admin = Admin.create(adminConfig)) {
      ensure(admin, topics, String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)));
    }
  }

  /** Creates {@code topics} through {@code admin}; those that exist already are left as they are. */
  public static void ensure(Admin admin, List<NewTopic> topics, String where) {
    for (var result : admin.createTopics(topics).values().entrySet()) {
      try {
        result.getValue().get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("cannot create topic " + result.getKey() + ": no answer from " + where
            + " within " + ANSWER_WITHIN.toSeconds() + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics", e);
      }
    }
  }
}
