"""Shared by tests/test_graph_*.py: the corpus extracted once per test run, and
the two stores the graph tests run against (embedded Oxigraph, and a real
`oxigraph serve` on a free loopback port)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from servers import wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "cq-yongchuan-psb-2024.txt"
YUAN_PER = {"元": Decimal(1), "万元": Decimal(10000)}


@lru_cache(maxsize=1)
def corpus_documents() -> dict[str, object]:
    """file name of the group's first file -> Document, for every corpus document
    but those stated in corpus_status.NOT_FULLY_READ (those read fully with the
    publisher's broken identities are in: test_validate states them); extracted
    once per test run (tests/extracted.py)."""
    import extracted
    from corpus_status import NOT_FULLY_READ
    groups = [g for g in extracted.groups([CORPUS]) if g[0].name not in NOT_FULLY_READ]
    out = {}
    for g, doc in zip(groups, extracted.documents(groups), strict=True):
        if isinstance(doc, Exception):
            raise doc
        out[g[0].name] = doc
    return out


def seed():
    return corpus_documents()[SEED.name]


def oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server (PyPI package oxigraph) is not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` in memory on 127.0.0.1:<free port>, union default graph."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until_answering(f"{self.url}/query?query=ASK%7B%7D", self.proc, "oxigraph serve", 30, self.stop)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
