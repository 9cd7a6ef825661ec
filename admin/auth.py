"""Who is asking: sign-in by password (the app's login page) or by API key (the HTTP API), against the
users file (SPEECHQA_USERS) and/or the single admin of SPEECHQA_AUTH=user:password. Failed sign-ins are
rate-limited per user and per address, and every sign-in is written to the audit log."""
from __future__ import annotations

import contextvars
import hmac
import os
import threading
import time
from collections import defaultdict, deque

from .audit import AuditLog
from .users import User, Users

MAX_FAILURES = 5  # failed sign-ins allowed per user and per address…
WINDOW = 60.0  # …within this many seconds; past that every attempt is refused until the window moves


class RateLimiter:
    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW, clock=time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._fails: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        q = self._fails[key]
        while q and self.clock() - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            return any(len(self._recent(k)) >= self.limit for k in keys if k)

    def fail(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                if k:
                    self._recent(k).append(self.clock())


def parse_auth(value: str) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("SPEECHQA_AUTH must be 'user:password'")
    return (user, password)


class Accounts:
    def __init__(self, users_path: str = "", auth: str = "", audit: AuditLog | None = None) -> None:
        self.users = Users(users_path) if users_path else None
        self.single = parse_auth(auth)
        self.audit = audit
        self.limiter = RateLimiter()

    @classmethod
    def from_env(cls, auth: str = "", audit: AuditLog | None = None) -> "Accounts":
        return cls(os.environ.get("SPEECHQA_USERS", ""), auth, audit)

    @property
    def enabled(self) -> bool:
        """Sign-in is required (a users file or SPEECHQA_AUTH is set)."""
        return self.users is not None or self.single is not None

    def _check(self, name: str, password: str) -> User | None:
        if self.single and hmac.compare_digest(name.encode(), self.single[0].encode()):
            if hmac.compare_digest(password.encode(), self.single[1].encode()):
                return User(name, "admin")
            return None
        return self.users.verify(name, password) if self.users else None

    def sign_in(self, name: str, password: str, address: str = "", via: str = "app") -> User | None:
        name, password = name or "", password or ""
        keys = (f"user:{name}", f"ip:{address}" if address else "")
        if self.limiter.blocked(*keys):
            self._log("sign-in", name, "limited", address, via)
            return None
        user = self._check(name, password)
        if user is None:
            self.limiter.fail(*keys)
        self._log("sign-in", name, "ok" if user else "failed", address, via)
        return user

    def by_key(self, key: str, address: str = "") -> User | None:
        if not key or self.users is None or self.limiter.blocked(f"ip:{address}" if address else ""):
            return None
        user = self.users.by_key(key)
        if user is None:
            self.limiter.fail(f"ip:{address}" if address else "")
            self._log("api-key", None, "failed", address, "api")
        return user

    def role_of(self, name: str) -> User | None:
        """The signed-in user of an app session (Gradio keeps only the name)."""
        if self.single and name == self.single[0]:
            return User(name, "admin")
        return self.users.get(name) if self.users else None

    def _log(self, event, name, result, address, via) -> None:
        if self.audit is not None:
            self.audit.write(event, name, result=result, address=address or None, via=via)


def client_address(client_host: str | None, headers) -> str:
    """The caller's address. Behind a reverse proxy on this machine every peer is 127.0.0.1, so there
    the proxy's X-Real-IP / X-Forwarded-For (its last hop) names the client."""
    host = client_host or ""
    if host.startswith("127.") or host == "::1":
        forwarded = headers.get("x-real-ip") or headers.get("x-forwarded-for", "").split(",")[-1]
        return forwarded.strip() or host
    return host


CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("speechqa_client", default="")


class ClientAddress:
    """ASGI middleware: the caller's address for the app's login check (Gradio's auth callable is
    given only the name and password)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
            CLIENT.set(client_address((scope.get("client") or ("",))[0], headers))
        await self.app(scope, receive, send)
