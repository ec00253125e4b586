"""The Python API: `budgetkg.query("unit-year-totals", year=2024)`."""
from __future__ import annotations

from pathlib import Path

from budgetkg.query.run import QueryResult, run_saved
from budgetkg.store.backends import DEFAULT_STORE, EmbeddedStore, RemoteStore


def query(name: str, *, store: EmbeddedStore | RemoteStore | Path | str | None = None,
          endpoint: str | None = None, **params) -> QueryResult:
    """Run the saved query `name` with `params` (values of any type, read as text)
    on `store` (an open store, or a store directory; default data/store) or on
    the SPARQL `endpoint`."""
    text = {k: str(v) for k, v in params.items() if v is not None}
    if isinstance(store, (EmbeddedStore, RemoteStore)):
        return run_saved(store, name, text)
    # reading never creates a store, and a read-only open works beside a running load
    opened = (RemoteStore(endpoint) if endpoint
              else EmbeddedStore(store or DEFAULT_STORE, create=False, read_only=True))
    try:
        return run_saved(opened, name, text)
    finally:
        opened.close()
