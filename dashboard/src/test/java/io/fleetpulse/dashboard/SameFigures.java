package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Asserts two views (as JSON) show the same figures: every field equal, numbers to 1e-9 relatively (sums added in
 * another order round differently), except when the records arrived, which differs between two runs.
 */
final class SameFigures {

  static final Set<String> TIMING = Set.of("receivedAt", "emittedAt", "live", "publishedAt");

  private SameFigures() {}

  static void assertSame(JsonNode actual, JsonNode expected) {
    compare(actual, expected, "$");
  }

  private static void compare(JsonNode a, JsonNode e, String path) {
    if (e.isNumber() && a.isNumber()) {
      double x = e.asDouble();
      assertThat(a.asDouble()).as(path).isCloseTo(x, within(Math.max(1e-12, Math.abs(x) * 1e-9)));
      return;
    }
    assertThat(a.getNodeType()).as(path).isEqualTo(e.getNodeType());
    if (e.isObject()) {
      assertThat(names(a)).as(path).containsExactlyInAnyOrderElementsOf(names(e));
      for (String name : names(e)) {
        if (!TIMING.contains(name)) compare(a.get(name), e.get(name), path + "." + name);
      }
    } else if (e.isArray()) {
      assertThat(a.size()).as(path + " size").isEqualTo(e.size());
      for (int i = 0; i < e.size(); i++) compare(a.get(i), e.get(i), path + "[" + i + "]");
    } else {
      assertThat(a).as(path).isEqualTo(e);
    }
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
    return out;
  }
}
