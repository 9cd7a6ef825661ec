"""The unit's accounts: a users file (SPEECHQA_USERS=path, JSON or TOML) of names, roles, salted
scrypt password hashes and hashed API keys. Nothing secret is stored in the clear.

Roles: admin (users and the library), editor (upload and edit speeches), reader (ask, read, study).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROLES = ("admin", "editor", "reader")
RANK = {r: i for i, r in enumerate(reversed(ROLES))}  # reader 0 < editor 1 < admin 2
# scrypt at n=2**14, r=8: 16 MiB and ~50 ms a check — slow for a guesser, fine for a sign-in.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
KEY_PREFIX = "sq_"


class UsersError(ValueError):
    """A users-file change that cannot be made; str() is the reason."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """At least this role (admin ⊇ editor ⊇ reader)."""
        return RANK[self.role] >= RANK[role]


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def key_hash(key: str) -> str:
    # A key is 256 random bits: a plain sha256 cannot be reversed, and it keeps each API call cheap.
    return "sha256$" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _toml(users: dict) -> str:
    """The users table as TOML (json.dumps quoting is valid TOML for these strings)."""
    out = []
    for name, u in sorted(users.items()):
        out.append(f"[users.{json.dumps(name, ensure_ascii=False)}]")
        out += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(u.items())]
        out.append("")
    return "\n".join(out)


class Users:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen = None
        self._users: dict[str, dict] = {}

    def _read(self) -> dict[str, dict]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if stamp != self._seen:
                text = self.path.read_text(encoding="utf-8")
                data = tomllib.loads(text) if self.path.suffix == ".toml" else json.loads(text or "{}")
                self._users, self._seen = dict(data.get("users", {})), stamp
            return self._users

    def _write(self, users: dict) -> None:
        text = _toml(users) if self.path.suffix == ".toml" else json.dumps({"users": users}, indent=1, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".users-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def names(self) -> list[str]:
        return sorted(self._read())

    def get(self, name: str) -> User | None:
        u = self._read().get(name)
        return User(name, u.get("role", "reader")) if u else None

    def verify(self, name: str, password: str) -> User | None:
        u = self._read().get(name)
        if u is None:
            check_password(password, hash_password("x"))  # the same cost whether or not the name exists
            return None
        return User(name, u.get("role", "reader")) if check_password(password, u.get("password", "")) else None

    def by_key(self, key: str) -> User | None:
        want = key_hash(key)
        for name, u in self._read().items():
            if u.get("key") and hmac.compare_digest(u["key"], want):
                return User(name, u.get("role", "reader"))
        return None

    def _change(self, fn) -> None:
        users = json.loads(json.dumps(self._read()))
        fn(users)
        self._write(users)

    def add(self, name: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise UsersError(f"unknown role: {role} (choose from {', '.join(ROLES)})")
        if not name.strip() or ":" in name:
            raise UsersError("a user name must be non-empty and have no ':'")
        if not password:
            raise UsersError("the password is empty")

        def fn(users):
            if name in users:
                raise UsersError(f"user {name} exists (use 'speechqa user passwd')")
            users[name] = {"role": role, "password": hash_password(password)}
        self._change(fn)

    def remove(self, name: str) -> None:
        def fn(users):
            if users.pop(name, None) is None:
                raise UsersError(f"no user {name}")
        self._change(fn)

    def set(self, name: str, role: str | None = None, password: str | None = None) -> None:
        if role is not None and role not in ROLES:
            raise UsersError(f"unknown role: {role} (choose from {', '.join(ROLES)})")

        def fn(users):
            if name not in users:
                raise UsersError(f"no user {name}")
            if role:
                users[name]["role"] = role
            if password:
                users[name]["password"] = hash_password(password)
        self._change(fn)

    def new_key(self, name: str) -> str:
        """A new API key for this user (the old one stops working); shown once, stored hashed."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)

        def fn(users):
            if name not in users:
                raise UsersError(f"no user {name}")
            users[name]["key"] = key_hash(key)
        self._change(fn)
        return key
