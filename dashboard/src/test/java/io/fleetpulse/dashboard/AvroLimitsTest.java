package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.schema.AvroCodec;
import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.junit.jupiter.api.Test;

class AvroLimitsTest {

  static final String STRING_LIMIT = "org.apache.avro.limits.string.maxLength";

  @Test
  void limitsAvroReadBeforeTheyWereSetAreBroughtIntoForce() throws Exception {
    Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
    reset.setAccessible(true);
    AvroCodec.WINDOW_METRICS.schema(); // sets the limits as properties, as it does for the dashboard
    String configured = System.getProperty(STRING_LIMIT);
    assertThat(configured).isNotNull();
    try {
      // As in a JVM where a record builder ran before AvroCodec loaded: Avro read no limit.
      System.clearProperty(STRING_LIMIT);
      reset.invoke(null);
      System.setProperty(STRING_LIMIT, configured);
      assertThat(AvroLimits.inForce()).isFalse();

      AvroLimits.ensure();

      assertThat(AvroLimits.inForce()).isTrue();
      assertThatThrownBy(() -> SystemLimitException.checkMaxStringLength(1L << 30))
          .isInstanceOf(SystemLimitException.class);
    } finally {
      System.setProperty(STRING_LIMIT, configured);
      reset.invoke(null);
    }
  }
}
