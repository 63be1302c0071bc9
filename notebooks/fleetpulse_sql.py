"""Read FleetPulse's Parquet lake through its read-only SQL endpoint, into pandas.

Start the endpoint with ``./fleetpulse query serve --data ./data`` (or the demo). Only the Python standard
library and pandas are used, so Debian's python3-pandas is enough.

    from fleetpulse_sql import sql, report
    df = sql("SELECT site, sum(it_energy_kwh) AS kwh FROM ultraserver_window GROUP BY site")
    carbon = report("carbon-by-site")

Settings come from the environment: FLEETPULSE_SQL_URL (default http://127.0.0.1:8090) and, when the endpoint
was started with a token, FLEETPULSE_QUERY_TOKEN.
"""

import io
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pandas as pd

URL = os.environ.get("FLEETPULSE_SQL_URL", "http://127.0.0.1:8090").rstrip("/")
TOKEN = os.environ.get("FLEETPULSE_QUERY_TOKEN") or None
TIMEOUT_S = 300

_UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")


class QueryError(RuntimeError):
    """The endpoint refused or failed a query; the message says why and what to do."""


def _request(path, params=None, body=None):
    url = URL + path + ("?" + urllib.parse.urlencode(params) if params else "")
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if body is not None:
        req.add_header("Content-Type", "text/plain; charset=utf-8")
    if TOKEN:
        req.add_header("Authorization", "Bearer " + TOKEN)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        try:
            text = json.loads(text)["error"]
        except (ValueError, KeyError, TypeError):
            pass
        raise QueryError(f"{e.code} from {url}: {text}") from None
    except urllib.error.URLError as e:
        raise QueryError(
            f"no SQL endpoint at {URL} ({e.reason}): start one with './fleetpulse query serve --data ./data' "
            "(or run the demo), or point FLEETPULSE_SQL_URL at it") from None


def _frame(csv_bytes):
    """CSV to a DataFrame; columns holding UTC instants (2026-11-25T10:00:00Z) become datetime64[ns, UTC]."""
    if not csv_bytes.strip():
        return pd.DataFrame()
    df = pd.read_csv(io.BytesIO(csv_bytes))
    for column in df.columns:
        if df[column].dtype == object:
            values = df[column].dropna()
            if len(values) and values.map(lambda v: isinstance(v, str) and bool(_UTC_TIME.match(v))).all():
                df[column] = pd.to_datetime(df[column], utc=True)
    return df


def sql(query):
    """Runs one read-only query over the lake's views and returns its rows as a DataFrame."""
    return _frame(_request("/api/sql", {"format": "csv"}, query.encode("utf-8")))


def report(name):
    """Runs a canned report by name (see reports())."""
    return _frame(_request("/api/reports/" + urllib.parse.quote(name), {"format": "csv"}))


def reports():
    """The canned reports: name, title, the tables each needs, what it answers, its SQL."""
    return pd.DataFrame(json.loads(_request("/api/reports")))


def tables():
    """The views present now, each with its columns and types."""
    return json.loads(_request("/api/tables"))


def has_table(name):
    return name in tables()


def describe():
    """One line saying where the data comes from."""
    present = list(tables())
    return f"SQL endpoint {URL}: views {', '.join(present) if present else 'none yet'}"
