"""The HTTP API beside the app, in the same process and on the same port:

- POST /v1/chat/completions — OpenAI-compatible (shell/api_chat.py);
- POST /api/search, POST /api/ask — {"question", "k"?, "speeches"?, "tags"?} → the objects that
  `speechqa search --json` and `ask --json` print;
- GET /api/speeches; POST /api/speeches (multipart upload, editors and admins); PATCH and
  DELETE /api/speeches/{id} (edit: editors and admins; delete: admins).

Callers sign in with `Authorization: Bearer <API key>` (`speechqa user key NAME`), or HTTP Basic with a
user's password (the one admin of SPEECHQA_AUTH has no key). No or a bad key is 401, a role too low 403.
With no users file and no SPEECHQA_AUTH the API answers loopback clients only. Every request is held to
the speeches its user may see (Engine.scope).
"""
from __future__ import annotations

import base64
import binascii
import logging
import shutil
import tempfile
from pathlib import Path

from fastapi import Depends, FastAPI, File, HTTPException, Request, UploadFile
from pydantic import BaseModel, Field

from admin.auth import client_address
from admin.users import User

log = logging.getLogger("speechqa")
LOCAL = User("local", "admin")
MAX_K = 50
MAX_FILES = 20


class Query(BaseModel):
    question: str = Field(min_length=1)
    k: int = Field(default=5, ge=1, le=MAX_K)
    speeches: list[str] | None = None
    tags: list[str] | None = None
    mode: str | None = None


class MetaEdit(BaseModel):
    title: str | None = None
    date: str | None = None
    speaker: str | None = None
    occasion: str | None = None
    tags: list[str] | None = None


def is_loopback(host: str | None) -> bool:
    return bool(host) and (host.startswith("127.") or host in ("::1", "localhost"))


def make_caller(accounts):
    def caller(request: Request) -> User:
        address = client_address(request.client.host if request.client else "", request.headers)
        if not accounts.enabled:
            if is_loopback(address):
                return LOCAL
            raise HTTPException(403, "the API answers this machine only until accounts are set up")
        kind, _, cred = request.headers.get("authorization", "").partition(" ")
        user = None
        if kind.lower() == "bearer" and cred.strip():
            user = accounts.by_key(cred.strip(), address)
        elif kind.lower() == "basic" and cred.strip():
            try:
                name, _, password = base64.b64decode(cred.strip()).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                name, password = "", ""
            user = accounts.sign_in(name, password, address, via="api") if name else None
        if user is None:
            raise HTTPException(401, "an API key is needed (Authorization: Bearer …)",
                                headers={"WWW-Authenticate": "Bearer"})
        return user
    return caller


def need(user: User, role: str) -> None:
    if not user.can(role):
        raise HTTPException(403, f"this needs the {role} role")


def scoped(engine, user: User, speeches, tags) -> list[str] | None:
    live, visible = engine.store.speeches(), engine.scope(user)
    # a speech this user may not see is as unknown as one that does not exist
    unknown = [s for s in speeches or [] if s not in live or visible is not None and s not in visible]
    if unknown:
        raise HTTPException(404, f"unknown speech: {', '.join(unknown)}")
    return engine.scope(user, speeches, [t for t in tags or [] if t.strip()] or None)


def build_api(engine, accounts) -> FastAPI:
    from .api_chat import add_chat_routes

    api = FastAPI(title="speechqa API", docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    caller = make_caller(accounts)
    add_chat_routes(api, engine, caller, scoped)

    @api.post("/api/search")
    def search(q: Query, user: User = Depends(caller)) -> dict:
        ids = scoped(engine, user, q.speeches, q.tags)
        engine.audit.question(user.name, q.question, "api")
        try:
            results = engine.retriever.search(q.question, q.k, ids)
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        return {"question": q.question, "results": [p.to_json() for p in results]}

    @api.post("/api/ask")
    def ask(q: Query, user: User = Depends(caller)) -> dict:
        from shell.cli.ask import answer_json

        ids = scoped(engine, user, q.speeches, q.tags)
        engine.audit.question(user.name, q.question, "api")
        try:
            return answer_json(engine.answerer.ask(q.question, ids, q.mode))
        except ValueError as e:
            raise HTTPException(422, str(e)) from e

    add_library_routes(api, engine, caller)
    return api


def add_library_routes(api: FastAPI, engine, caller) -> None:
    from admin.library_ops import LibraryError, remove, set_meta, speech_rows

    @api.get("/api/speeches")
    def speeches(user: User = Depends(caller)) -> list[dict]:
        visible = engine.scope(user)
        return [r for r in speech_rows(engine) if visible is None or r["speech"] in visible]

    @api.post("/api/speeches")
    def upload(files: list[UploadFile] = File(...), user: User = Depends(caller)) -> list[dict]:
        need(user, "editor")
        if len(files) > MAX_FILES:
            raise HTTPException(413, f"at most {MAX_FILES} files at once")
        return _upload(engine, files, user)

    @api.patch("/api/speeches/{speech}")
    def edit(speech: str, body: MetaEdit, user: User = Depends(caller)) -> dict:
        need(user, "editor")
        values = body.model_dump(exclude_none=True)
        try:
            return {"speech": speech, **set_meta(engine, speech, user.name, **values)}
        except LibraryError as e:
            raise HTTPException(404, str(e)) from e

    @api.delete("/api/speeches/{speech}")
    def delete(speech: str, user: User = Depends(caller)) -> dict:
        need(user, "admin")
        try:
            ((_, moved),) = remove(engine, [speech], user.name)
        except LibraryError as e:
            raise HTTPException(404, str(e)) from e
        return {"speech": speech, "removed": True, "trash": moved}


def _upload(engine, files, user: User) -> list[dict]:
    from ingest.lock import IngestBusy
    from ingest.uploads import save_and_ingest

    settings = engine.settings
    with tempfile.TemporaryDirectory(prefix="speechqa-api-") as tmp:
        paths = []
        for i, f in enumerate(files):
            name = Path(f.filename or f"upload-{i}.txt").name or f"upload-{i}.txt"
            spot = Path(tmp) / str(i) / name
            spot.parent.mkdir()
            with open(spot, "wb") as out:
                shutil.copyfileobj(f.file, out)
            paths.append(spot)
        try:
            reports = save_and_ingest(paths, engine.store, Path(settings.index) / "uploads",
                                      settings.max_upload_bytes)
        except IngestBusy as e:
            raise HTTPException(409, str(e)) from e
    out = [{"file": r.path, "speech": r.speech, "status": r.status, "reason": r.reason,
            "paragraphs": r.paragraphs} for r in reports]
    for r in out:
        engine.audit.write("upload", user.name, file=r["file"], speech=r["speech"], status=r["status"], via="api")
    return out
