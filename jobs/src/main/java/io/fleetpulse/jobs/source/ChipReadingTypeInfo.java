package io.fleetpulse.jobs.source;

import io.fleetpulse.jobs.types.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** What {@code @TypeInfo} on {@link ChipReading} points Flink's type extraction to: its own serializer. */
public final class ChipReadingTypeInfo extends TypeInfoFactory<ChipReading> {
  @Override
  public TypeInformation<ChipReading> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
    return new SerializerTypeInfo<>(ChipReading.class, ChipReadingSerializer.INSTANCE);
  }
}
