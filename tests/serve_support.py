"""Shared by tests/test_serve*.py: a store holding four real documents (the seed,
one unit's budgets of two years, and a final account whose publisher contradicts
itself), built once per test run with `budgetkg load`'s own code, and the real
server (`budgetkg serve` under uvicorn, in a subprocess) on a free loopback port."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import extracted
from graph_support import CORPUS, SEED, free_port
from servers import wait_until_answering

PDF = CORPUS / "pdf"
DOCUMENTS = [SEED, PDF / "sh-putuo-wanli-2024-budget.pdf", PDF / "sh-putuo-wanli-2025-budget.pdf",
             PDF / "sh-putuo-caizhengju-2024-final.pdf"]
WANLI = "上海市普陀区人民政府万里街道办事处"


@lru_cache(maxsize=1)
def store_path() -> Path:
    """Built once per run; $BUDGETKG_SERVE_TEST_STORE names one already built from
    DOCUMENTS (`budgetkg load … --store DIR`) to skip the 25 s while iterating."""
    from budgetkg.store.backends import EmbeddedStore
    from budgetkg.store.load import load
    if os.environ.get("BUDGETKG_SERVE_TEST_STORE"):
        return Path(os.environ["BUDGETKG_SERVE_TEST_STORE"])
    folder = tempfile.mkdtemp(prefix="budgetkg-serve-")
    atexit.register(shutil.rmtree, folder, True)  # after the servers (atexit runs last-in, first-out)
    path = Path(folder) / "store"
    store = EmbeddedStore(path)
    summary = load(store, DOCUMENTS, progress=False, read=extracted.document)  # extracted once per run
    store.close()
    assert not summary.failed, [d.error for d in summary.failed]
    return path


def budgetkg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "budgetkg.cli", *args]


class Server:
    """`budgetkg serve` on 127.0.0.1:<free port> until stop()."""

    def __init__(self, *options: str, source: tuple[str, ...] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        source = source or ("--store", str(store_path()))
        self.proc = subprocess.Popen(budgetkg_command("serve", *source, "--port", str(self.port), *options),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.health = json.loads(wait_until_answering(self.url + "/health", self.proc, "budgetkg serve", 60,
                                                      self.stop))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@lru_cache(maxsize=1)
def server() -> Server:
    """The server the saved-query, page and browser tests share: the defaults (a 10 s
    time limit, a 10,000-row cap)."""
    s = Server("--workers", "2")
    atexit.register(s.stop)
    return s


@lru_cache(maxsize=1)
def limited_server() -> Server:
    # (also fuzzed: a saved query slower than 3 s costs 3 s an example, not its whole time)
    """The protocol tests' server: a 3 s time limit and a 500-row cap, so that the
    limits are reached by real queries on this small store."""
    s = Server("--timeout", "3", "--row-cap", "500", "--workers", "2")
    atexit.register(s.stop)
    return s
