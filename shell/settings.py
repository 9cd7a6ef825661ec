"""Settings in one place: flags override SPEECHQA_* environment variables, which override defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields

from ingest.readers import DEFAULT_MAX_BYTES, MIB

DEFAULTS = {
    "index": "data/index",
    "chroma_url": "",
    "embeddings": "e5-small",
    "llm_url": "",
    "llm_model": "",
    "llm_key": "",
    "host": "127.0.0.1",
    "port": 7860,
    "auth": "",
    "root_path": "",
    "max_upload_mb": DEFAULT_MAX_BYTES // MIB,
    "speeches_dir": "data/speeches",
}


@dataclass
class Settings:
    index: str = DEFAULTS["index"]
    chroma_url: str = DEFAULTS["chroma_url"]
    embeddings: str = DEFAULTS["embeddings"]
    llm_url: str = field(default=DEFAULTS["llm_url"], repr=False)  # may carry a key in its query
    llm_model: str = DEFAULTS["llm_model"]
    llm_key: str = field(default=DEFAULTS["llm_key"], repr=False)  # a secret: never printed
    host: str = DEFAULTS["host"]
    port: int = DEFAULTS["port"]
    auth: str = field(default=DEFAULTS["auth"], repr=False)
    root_path: str = DEFAULTS["root_path"]  # URL prefix behind a reverse proxy, e.g. /speechqa
    max_upload_mb: int = DEFAULTS["max_upload_mb"]
    speeches_dir: str = DEFAULTS["speeches_dir"]

    @classmethod
    def load(cls, **overrides) -> "Settings":
        values = {}
        for f in fields(cls):
            env = os.environ.get(f"SPEECHQA_{f.name.upper()}")
            value = overrides.get(f.name)
            if value is None or value == "":
                value = env if env not in (None, "") else DEFAULTS[f.name]
            if isinstance(DEFAULTS[f.name], int):
                value = int(value)
            values[f.name] = value
        return cls(**values)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024
