"""Who the app's user is and which speeches they may reach: every tab asks `visible_for`, which asks
Engine.scope (the one place that decides), so a speech restricted to others never reaches their
answers, digests, comparisons, study items, reader or speech lists."""
from __future__ import annotations

from admin.users import User


def web_user(engine, request) -> User | None:
    """The signed-in user, None when the app has no sign-in. A name the accounts no longer know (removed
    while signed in) gets the reader's rights."""
    accounts = getattr(engine, "accounts", None)
    if accounts is None or not accounts.enabled:
        return None
    name = getattr(request, "username", None) or ""
    return (accounts.role_of(name) if name else None) or User(name, "reader")


def visible_for(engine, request, selected: list[str] | None = None) -> list[str] | None:
    user = web_user(engine, request)
    return selected if user is None else engine.scope(user, selected)


def may_read(engine, request, stem: str) -> bool:
    allowed = visible_for(engine, request)
    return allowed is None or stem in allowed


def visible_speeches(engine, request) -> dict:
    live = engine.store.speeches()
    allowed = visible_for(engine, request) if web_user(engine, request) is not None else None
    return live if allowed is None else {s: live[s] for s in allowed if s in live}
