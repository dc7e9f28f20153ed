"""Pseudonymous person keys (docs/domain-rules.md R12).

asn_key = the first 16 lowercase hex characters of HMAC-SHA256(key = PROASN_PSEUDONYM_KEY as UTF-8,
message = the 18-digit NIP as UTF-8). The same function exists in SQL, as the DuckDB macro `asn_key(nip)`
that this module registers on every dbt connection (a dbt-duckdb plugin), so the secret never appears in
dbt's compiled SQL, logs or manifest.
"""

from __future__ import annotations

import hashlib
import hmac

from dbt.adapters.duckdb.plugins import BasePlugin

from pipelines.settings import get_settings

BLOCK_SIZE = 64  # SHA-256 block size in bytes (RFC 2104)


def asn_key(nip: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), nip.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def asn_key_macro_sql(key: str) -> str:
    """DuckDB DDL for the macro asn_key(nip): HMAC built from sha256 (DuckDB has no hmac())."""
    raw = key.encode("utf-8")
    if len(raw) > BLOCK_SIZE:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(BLOCK_SIZE, b"\0")
    ipad = bytes(b ^ 0x36 for b in raw).hex()
    opad = bytes(b ^ 0x5C for b in raw).hex()
    return (
        "create or replace temp macro asn_key(nip) as "
        f"left(sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode(nip)))), 16)"
    )


class Plugin(BasePlugin):
    """dbt-duckdb plugin: defines asn_key(nip) on each connection and cursor dbt opens (temp macros
    belong to one connection, so it is never stored in the warehouse file)."""

    def configure_connection(self, conn) -> None:
        conn.execute(asn_key_macro_sql(get_settings().pseudonym_key))

    def configure_cursor(self, cursor) -> None:
        cursor.execute(asn_key_macro_sql(get_settings().pseudonym_key))
