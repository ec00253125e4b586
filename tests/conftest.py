from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "cq-yongchuan-psb-2024.txt"


@pytest.fixture(scope="session")
def seed_document():
    import extracted
    return extracted.document(SEED)


@pytest.fixture(scope="session")
def corpus_stores(tmp_path_factory):
    """The corpus loaded once (tests/query_support.py): embedded and served."""
    from query_support import Stores, load_corpus, serve_copy
    store = load_corpus(tmp_path_factory.mktemp("corpus-store"))
    server, remote = serve_copy(store)
    try:
        yield Stores(store, remote)
    finally:
        server.stop()
        store.close()


@pytest.fixture(scope="session")
def lists():
    """The code lists of ontology/codes/ in one in-memory store, read-only for the tests."""
    import pyoxigraph as ox

    from budgetkg.paths import CODES_DIR
    s = ox.Store()
    for path in CODES_DIR.glob("*.ttl"):
        s.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return s
