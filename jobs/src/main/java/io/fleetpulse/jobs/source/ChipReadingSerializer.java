package io.fleetpulse.jobs.source;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import io.fleetpulse.jobs.types.RecordSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link ChipReading} field by field: every sample crosses the network once (keyed by UltraServer), and
 * Flink's POJO serializer reads and writes fields by reflection, boxing each primitive. Fixed layout; the snapshot
 * makes a change of it fail a restore loudly instead of misreading state.
 */
public final class ChipReadingSerializer extends RecordSerializer<ChipReading> {

  private static final long serialVersionUID = 1L;
  public static final ChipReadingSerializer INSTANCE = new ChipReadingSerializer();

  @Override
  public ChipReading createInstance() {
    return new ChipReading();
  }

  @Override
  public ChipReading copy(ChipReading from) {
    return from.copy();
  }

  @Override
  public void serialize(ChipReading r, DataOutputView out) throws IOException {
    out.writeInt(r.chipId);
    out.writeInt(r.instanceId);
    out.writeInt(r.ultraserverId);
    out.writeUTF(r.site);
    out.writeUTF(r.generation);
    out.writeInt(r.workloadId);
    out.writeByte(r.workloadKind);
    out.writeLong(r.eventTime);
    out.writeInt(r.intervalMs);
    out.writeDouble(r.utilization);
    out.writeDouble(r.hbmUsedGib);
    out.writeDouble(r.powerW);
    out.writeDouble(r.renewableShare);
    out.writeLong(r.eccCorrectedTotal);
    out.writeLong(r.eccUncorrectedTotal);
    writeNullable(out, r.tenant);
  }

  @Override
  public ChipReading deserialize(DataInputView in) throws IOException {
    ChipReading r = new ChipReading();
    r.chipId = in.readInt();
    r.instanceId = in.readInt();
    r.ultraserverId = in.readInt();
    r.site = in.readUTF();
    r.generation = in.readUTF();
    r.workloadId = in.readInt();
    r.workloadKind = in.readByte();
    r.eventTime = in.readLong();
    r.intervalMs = in.readInt();
    r.utilization = in.readDouble();
    r.hbmUsedGib = in.readDouble();
    r.powerW = in.readDouble();
    r.renewableShare = in.readDouble();
    r.eccCorrectedTotal = in.readLong();
    r.eccUncorrectedTotal = in.readLong();
    r.tenant = readNullable(in);
    return r;
  }

  @Override
  public TypeSerializerSnapshot<ChipReading> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Version 1 of the layout above. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChipReading> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
