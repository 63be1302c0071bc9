package io.fleetpulse.query;

/**
 * A query that cannot be answered, for a reason the user can fix: one line saying what happened and what to do.
 * An IllegalArgumentException, so the CLI reports it as a usage error (exit 2, no stack trace); {@link Kind}
 * picks the HTTP status on the endpoint.
 */
public final class QueryException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Why the query was not answered. */
  public enum Kind {
    /** The data folder is missing or holds no table yet. */
    NO_DATA(503),
    /** The SQL names a table (or a report needs one) that is not in the lake. */
    UNKNOWN_TABLE(400),
    /** No report of that name. */
    UNKNOWN_REPORT(404),
    /** Not a single read-only query over the lake's views (a write, a file read, an extension, ...). */
    REFUSED(403),
    /** DuckDB could not parse, bind or run the SQL. */
    SQL(400),
    /** The query ran longer than the time limit and was interrupted. */
    TIMEOUT(503),
    /** The result has more rows or bytes than the limits allow. */
    TOO_LARGE(413),
    /** Every query slot stayed busy for the whole time limit. */
    BUSY(503);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The kind's name as the endpoint reports it: lower case, dashes. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Kind kind;

  public QueryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public QueryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
