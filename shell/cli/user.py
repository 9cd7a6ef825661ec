"""`speechqa user add|remove|passwd|key|list NAME [--role admin|editor|reader]`: the accounts in the
users file (SPEECHQA_USERS or --users). Passwords are read from stdin when it is not a terminal (one
line), else asked for twice; they are stored as salted scrypt hashes. `key` prints a new API key once."""
from __future__ import annotations

import getpass
import os
import sys

from .common import UsageError, add_common


def add(sub) -> None:
    p = sub.add_parser("user", help="manage the unit's accounts (admin, editor, reader) and API keys")
    p.add_argument("action", choices=["add", "remove", "passwd", "key", "list"])
    p.add_argument("name", nargs="?")
    p.add_argument("--role", choices=["admin", "editor", "reader"], help="for add (default reader) or passwd")
    p.add_argument("--users", help="the users file (env SPEECHQA_USERS), .json or .toml")
    add_common(p)
    p.set_defaults(run=run)


def read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise UsageError("the passwords differ")
    return first


def run(args) -> int:
    from admin.audit import AuditLog
    from admin.users import Users, UsersError

    from .common import settings_from

    path = args.users or os.environ.get("SPEECHQA_USERS", "")
    if not path:
        raise UsageError("no users file: set SPEECHQA_USERS=/path/users.json or pass --users")
    if args.action != "list" and not args.name:
        raise UsageError(f"user {args.action} needs a NAME")
    users = Users(path)
    audit = AuditLog(settings_from(args).index)
    try:
        if args.action == "list":
            for name in users.names():
                print(f"{name}  {users.get(name).role}")
            return 0
        if args.action == "add":
            users.add(args.name, args.role or "reader", read_password())
        elif args.action == "remove":
            users.remove(args.name)
        elif args.action == "passwd":
            users.set(args.name, role=args.role, password=None if args.role and sys.stdin.isatty() else read_password())
        else:
            print(users.new_key(args.name))
    except UsersError as e:
        raise UsageError(str(e)) from e
    audit.write(f"user-{args.action}", None, target=args.name, role=args.role)
    if args.action != "key":
        print(f"user {args.action}: {args.name}")
    return 0
