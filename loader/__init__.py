"""budgetkg: Chinese budget disclosures as a validated, linked RDF graph.

The pipeline, one module a step: document -> tables (text.py, pdf/) ->
placed cells (reconstruct/) -> contract JSON (model.py) -> RDF -> store ->
queries -> HTTP.
"""
__version__ = "0.1.0"


def __getattr__(name: str):
    # `budgetkg.query(name, **params)` without importing the query stage up front
    if name == "query":
        import importlib
        return importlib.import_module("budgetkg.query")
    raise AttributeError(f"module 'budgetkg' has no attribute {name!r}")
