package io.fleetpulse.jobs.types;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The parts every hand-written serializer of a stateless, fixed-layout record shares: it is its own duplicate, reads
 * into a new instance, and copies serialized bytes by reading and writing them. A subclass writes and reads its
 * fields, and says how to copy a record.
 */
public abstract class RecordSerializer<T> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public T deserialize(T reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }

  /** A nullable string. */
  protected static void writeNullable(DataOutputView out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) out.writeUTF(s);
  }

  protected static String readNullable(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** A nullable byte array. */
  protected static void writeNullable(DataOutputView out, byte[] b) throws IOException {
    out.writeInt(b == null ? -1 : b.length);
    if (b != null) out.write(b);
  }

  protected static byte[] readBytes(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) return null;
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
