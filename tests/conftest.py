from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "cq-yongchuan-psb-2024.txt"


@pytest.fixture(scope="session")
def seed_document():
    from budgetkg.reconstruct.extract import extract_document
    return extract_document(SEED)
