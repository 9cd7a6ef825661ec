"""Accounts: the users file (JSON and TOML), scrypt hashes, API keys, roles, tag restrictions enforced
by Engine.scope, sign-in rate limits and the audit log."""
from __future__ import annotations

import io
import json

import pytest

from ingest.pipeline import ingest_paths
from admin.audit import AuditLog
from admin.auth import Accounts, RateLimiter
from shell.cli import main
from admin.users import User, Users, check_password, hash_password
from tests.conftest import make_engine

A, C = "000_6117c26b33f13efb", "003_4957c2c23b1f7b8a"


def user_cli(monkeypatch, path, *argv, stdin="secret\n"):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["user", *argv, "--users", str(path)])


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_add_passwd_remove_and_nothing_in_the_clear(tmp_path, monkeypatch, suffix, capsys):
    path = tmp_path / f"users{suffix}"
    monkeypatch.chdir(tmp_path)
    assert user_cli(monkeypatch, path, "add", "王五", "--role", "editor", stdin="s3cret-pw\n") == 0
    text = path.read_text(encoding="utf-8")
    assert "s3cret-pw" not in text and "scrypt$" in text
    users = Users(path)
    assert users.verify("王五", "s3cret-pw") == User("王五", "editor")
    assert users.verify("王五", "wrong") is None and users.verify("nobody", "s3cret-pw") is None
    assert user_cli(monkeypatch, path, "passwd", "王五", stdin="new-pw\n") == 0
    assert Users(path).verify("王五", "new-pw") and not Users(path).verify("王五", "s3cret-pw")
    assert user_cli(monkeypatch, path, "add", "王五", "--role", "reader") == 2  # exists
    capsys.readouterr()
    assert user_cli(monkeypatch, path, "key", "王五") == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("sq_") and key not in path.read_text(encoding="utf-8")
    assert Users(path).by_key(key) == User("王五", "editor") and Users(path).by_key(key + "x") is None
    assert user_cli(monkeypatch, path, "remove", "王五") == 0
    assert Users(path).get("王五") is None and Users(path).by_key(key) is None


def test_hashes_are_salted():
    a, b = hash_password("pw"), hash_password("pw")
    assert a != b and check_password("pw", a) and check_password("pw", b) and not check_password("pX", a)
    assert not check_password("pw", "garbage")


def test_roles_rank():
    assert User("a", "admin").can("editor") and User("e", "editor").can("reader")
    assert not User("r", "reader").can("editor") and not User("e", "editor").can("admin")


def test_rate_limit_per_user_and_address(tmp_path):
    now = [0.0]
    acc = Accounts("", "boss:pw", AuditLog(tmp_path))
    acc.limiter = RateLimiter(clock=lambda: now[0])
    for _ in range(5):
        assert acc.sign_in("boss", "bad", "1.2.3.4") is None
    assert acc.sign_in("boss", "pw", "5.6.7.8") is None  # this user is locked for the window
    now[0] = 61.0
    assert acc.sign_in("boss", "pw", "5.6.7.8") == User("boss", "admin")
    results = [e["result"] for e in AuditLog(tmp_path).read() if e["event"] == "sign-in"]
    assert results == ["failed"] * 5 + ["limited", "ok"]


def test_single_admin_from_speechqa_auth(tmp_path):
    acc = Accounts("", "boss:pw")
    assert acc.enabled and acc.sign_in("boss", "pw") == User("boss", "admin")
    assert acc.sign_in("boss", "") is None and acc.role_of("boss") == User("boss", "admin")
    assert not Accounts("", "").enabled


def test_restricted_tag_reaches_only_its_users(tmp_path, speeches_copy, capsys):
    idx = tmp_path / "index"
    engine = make_engine(idx)
    ingest_paths([speeches_copy], engine.store)
    assert main(["meta", A, "--tags", "内部", "--index", str(idx), "--embeddings", "fake"]) == 0
    assert main(["tag", "内部", "--only", "王五,editor", "--index", str(idx), "--embeddings", "fake"]) == 0
    engine = make_engine(idx)
    everyone = set(engine.store.speeches())
    reader, named, editor = User("赵六", "reader"), User("王五", "reader"), User("钱七", "editor")
    assert A not in engine.scope(reader) and set(engine.scope(reader)) == everyone - {A}
    assert engine.scope(named) is None and engine.scope(editor) is None
    assert engine.scope(User("管理员", "admin")) is None
    assert engine.scope(reader, [A]) == [] and engine.scope(reader, tags=["内部"]) == []
    answer = engine.answerer.ask("党建工作存在哪些问题？", engine.scope(reader))
    assert A not in {c.speech for c in answer.citations} and A not in {p.speech for p in answer.related}
    capsys.readouterr()
    assert main(["tag", "内部", "--only", "", "--index", str(idx), "--embeddings", "fake"]) == 0
    assert json.loads(capsys.readouterr().out)["only"] == []
    assert make_engine(idx).scope(reader) is None
