"""Where the project's data lies: the ontology, the code lists, the shapes and
the classification tables live beside the package in the repository."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLASSIFICATIONS = REPO / "data" / "classifications"
CODES_DIR = REPO / "ontology" / "codes"
ONTOLOGY = REPO / "ontology" / "budgetkg.ttl"
SHAPES_DIR = REPO / "shapes"
QUERIES_DIR = REPO / "queries"
