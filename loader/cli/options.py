"""Command-line options shared by the subcommands that use a store."""
from __future__ import annotations

from pathlib import Path

from budgetkg.store.backends import DEFAULT_STORE, EmbeddedStore, RemoteStore


def add_store_arguments(parser) -> None:
    """--store DIR | --endpoint URL, shared by every command that uses a store."""
    g = parser.add_mutually_exclusive_group()
    g.add_argument("--store", type=Path, default=None, metavar="DIR",
                   help=f"embedded Oxigraph store (default: {DEFAULT_STORE}, or $BUDGETKG_STORE)")
    g.add_argument("--endpoint", metavar="URL",
                   help="a SPARQL 1.1 query endpoint instead (it must query the union of named graphs)")
    parser.add_argument("--update-endpoint", metavar="URL", help="SPARQL update URL (default: beside --endpoint)")
    parser.add_argument("--graph-store", metavar="URL",
                        help="Graph Store Protocol URL (default: beside --endpoint, …/store)")


def open_store(args, mode: str = "read") -> EmbeddedStore | RemoteStore:
    """mode "read": an existing store, read-only (never created); "write": an
    existing store; "create": a new one if there is none (load, codes import)."""
    if getattr(args, "endpoint", None):
        store = RemoteStore(args.endpoint, args.update_endpoint, args.graph_store)
        if mode != "create":  # load checks once the ontology is in
            store.check_union_default_graph()
        return store
    return EmbeddedStore(args.store or DEFAULT_STORE, create=mode == "create", read_only=mode == "read")
