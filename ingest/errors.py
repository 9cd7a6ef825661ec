"""The one error every reader raises (its own module, so that each format's reader can raise it
without importing the dispatcher in ingest/readers.py)."""
from __future__ import annotations


class IngestError(ValueError):
    """A file that cannot be ingested; str() is the reason shown to the user."""
