"""Corpus documents extracted once per test run, shared by every test file and
every xdist worker: an on-disk pickle cache.

Extraction is most of the suite's cost (西安安监局 alone takes a minute), and
xdist runs each test file in its own process, so an in-process cache would
extract a document once per file. A cached Document is keyed by the sha256 of
its files' bytes and paths AND of everything extraction depends on: every file
of the budgetkg package (loader/, its table_types.toml included), data/**, the
installed distributions, Python, the BUDGETKG_* settings that change a reading
and whether OCR is available. Any code or data change is a miss, never a stale
Document. A file lock per entry makes two workers wait for one extraction
instead of doing it twice.

The cache lives in .pytest_cache/budgetkg-extracted/ ($BUDGETKG_TEST_CACHE
names another folder); a clean clone starts empty and fills it as it goes.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import platform
import sys
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# what extraction reads besides the document: the package (code, registry, templates) and the data
DEPENDS_ON = [ROOT / "loader", ROOT / "data"]
SKIPPED_PARTS = {"__pycache__", "store"}  # bytecode, and data/store (a loaded store, not an input)
SETTINGS = ("BUDGETKG_TIME_BUDGET", "BUDGETKG_OCR")


def cache_dir() -> Path:
    folder = Path(os.environ.get("BUDGETKG_TEST_CACHE") or ROOT / ".pytest_cache" / "budgetkg-extracted")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _hash_files(h, files) -> None:
    for f in files:
        h.update(str(f).encode("utf-8") + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())


@lru_cache(maxsize=1)
def _code_and_data() -> str:
    """Hash of the package's and data's files and the installed distributions:
    once per process (the tests do not change the code while they run)."""
    h = hashlib.sha256()
    _hash_files(h, sorted(f for d in DEPENDS_ON for f in d.rglob("*")
                          if f.is_file() and not SKIPPED_PARTS & set(f.relative_to(d).parts)))
    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    h.update("\n".join([sys.version, platform.machine(), *dists]).encode("utf-8"))
    return h.hexdigest()


def fingerprint() -> str:
    """Everything but the document itself that decides what extraction gives."""
    from budgetkg.read import ocr
    settings = [f"{k}={os.environ.get(k)}" for k in SETTINGS] + [f"ocr={ocr.available()}"]
    return hashlib.sha256((_code_and_data() + "\n" + "\n".join(settings)).encode("utf-8")).hexdigest()


def _key(kind: str, files: list[Path], extra: str = "") -> str:
    """kind-<code hash>-<hash of the rest>: the code's part names the entries a code change leaves stale."""
    h = hashlib.sha256(f"{kind}\n{fingerprint()}\n{extra}\n".encode("utf-8"))
    _hash_files(h, [Path(f).resolve() for f in files])
    return f"{kind}-{_code_and_data()[:16]}-{h.hexdigest()}"


@lru_cache(maxsize=1)
def _pruned() -> None:
    """Entries of other code are never read again: deleted once per process."""
    current = _code_and_data()[:16]
    for f in cache_dir().iterdir():
        parts = f.name.split("-")
        if len(parts) >= 3 and parts[1] != current:
            f.unlink(missing_ok=True)


@contextmanager
def _locked(key: str, blocking: bool = True):
    """The entry's lock (yields False when not blocking and another process holds it)."""
    with open(cache_dir() / f"{key}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _cached(key: str, compute, blocking: bool = True):
    """The value stored under key, computed and stored on a miss; None when not
    blocking and another process is computing it."""
    _pruned()
    path = cache_dir() / f"{key}.pickle"
    with _locked(key, blocking) as held:
        if not held:
            return None
        if path.exists():
            try:
                return pickle.loads(path.read_bytes())
            except Exception:  # noqa: BLE001 - a truncated or foreign entry is computed again
                pass
        value = compute()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)  # readers see the whole entry or none
        return value


MEMORY: dict[str, object] = {}  # this process's copies (one unpickling per document per process)


def document(group: list[Path] | Path):
    """The Document `budgetkg extract` gives for these files (an exception it
    raises is raised again on every call, not cached)."""
    group = [group] if isinstance(group, (str, Path)) else list(group)
    key = _key("doc", group)
    if key not in MEMORY:
        from budgetkg.store.load import read_document
        MEMORY[key] = _cached(key, lambda: read_document(group))
    return MEMORY[key]


def documents(groups: list[list[Path]]) -> list:
    """Documents of many groups, in order: first those no other worker is
    extracting right now, then the rest (waiting for them), so that two workers
    asking for the corpus at once share the work instead of queueing on one
    document. A group whose extraction fails gives the exception in its place."""
    out: dict[int, object] = {}
    for blocking in (False, True):
        for i, group in enumerate(groups):
            if i in out:
                continue
            key = _key("doc", group)
            if key in MEMORY:
                out[i] = MEMORY[key]
                continue
            from budgetkg.store.load import read_document
            try:
                value = _cached(key, lambda g=group: read_document(g), blocking)
            except Exception as e:  # noqa: BLE001 - the caller decides (load refuses such a document)
                out[i] = e
                continue
            if value is not None:
                out[i] = MEMORY[key] = value
    return [out[i] for i in range(len(groups))]


def groups(inputs: list[Path]) -> list[list[Path]]:
    """document_groups(inputs), cached like a Document (grouping OCRs scanned covers)."""
    from budgetkg.read.grouping import document_groups
    files = sorted(f for p in inputs for f in ([p] if Path(p).is_file() else Path(p).rglob("*")) if f.is_file())
    key = _key("groups", files, "\n".join(str(Path(p).resolve()) for p in inputs))
    if key not in MEMORY:
        MEMORY[key] = _cached(key, lambda: document_groups(list(inputs)))
    return MEMORY[key]
