package io.fleetpulse.query;

import java.io.ByteArrayOutputStream;

/**
 * A byte buffer that refuses to grow past a limit: the endpoint renders a whole result here before answering,
 * so a result that turns out too large becomes a clean 413 instead of a response cut off half-way.
 */
final class BoundedBuffer extends ByteArrayOutputStream {

  private final Long limit;

  BoundedBuffer(Long limit) {
    super(8192);
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) {
    ensure(1);
    super.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    ensure(len);
    super.write(b, off, len);
  }

  private void ensure(int more) {
    if (limit != null && (long) count + more > limit) {
      throw new QueryException(QueryException.Kind.TOO_LARGE, String.format(
          "the result is larger than %,d bytes (--max-bytes): select fewer columns, aggregate or add LIMIT",
          limit));
    }
  }
}
