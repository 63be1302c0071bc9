package io.fleetpulse.jobs.rollup;

import io.fleetpulse.jobs.types.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** What {@code @TypeInfo} on {@link RollUpAccumulator} points Flink's type extraction to: its own serializer. */
public final class RollUpAccumulatorTypeInfo extends TypeInfoFactory<RollUpAccumulator> {
  @Override
  public TypeInformation<RollUpAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
    return new SerializerTypeInfo<>(RollUpAccumulator.class, RollUpAccumulatorSerializer.INSTANCE);
  }
}
