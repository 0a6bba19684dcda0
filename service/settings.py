"""One table of settings feeds the CLI flags, the environment variables, the
app config, `/-/settings.json` and the README (a test checks they agree)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ingest.iris import DEFAULT_BASE


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return "FISCALKG_" + self.name.upper()


SETTINGS = [
    Setting("store", "var/store", "Directory of the on-disk store."),
    Setting("base_iri", DEFAULT_BASE, "Base under which all data IRIs are minted (ends in '/')."),
    Setting("host", "127.0.0.1", "Interface the server listens on."),
    Setting("port", 8000, "Port the server listens on."),
    Setting("timeout", 30.0, "Seconds after which a SPARQL query is stopped."),
    Setting("max_rows", 10000, "Most result rows a SPARQL SELECT returns before truncating."),
    Setting("max_request_bytes", 1_000_000, "Largest accepted request body, in bytes."),
    Setting("workers", 4, "Query worker processes (and server threads) of the server."),
    Setting("admin_token", "", "Bearer token that enables authenticated writes; empty: read-only."),
]
BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, override: object = None) -> object:
    """Flag value if given, else the environment variable, else the default."""
    setting = BY_NAME[name]
    if override is not None:
        return override
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    kind = type(setting.default)
    return kind(raw) if kind in (int, float) else raw


def resolved(**overrides: object) -> dict[str, object]:
    return {s.name: get(s.name, overrides.get(s.name)) for s in SETTINGS}
