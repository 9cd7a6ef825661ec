"""A short API load (bench/api_load.py): 20 clients for 10 s against the running app on loopback;
every request answers 200 (chat, search and ask alike)."""
from __future__ import annotations

import pytest

from bench.api_load import run_load

pytestmark = pytest.mark.e2e


def test_twenty_api_clients_without_an_error(app_url):
    url, _ = app_url
    result = run_load(url.rstrip("/"), None, clients=20, seconds=10)
    assert result["errors"] == 0, result["first_errors"]
    assert all(len(v) > 0 for v in result["samples"].values())
