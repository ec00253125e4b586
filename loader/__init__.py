"""budgetkg: Chinese budget disclosures as a validated, linked RDF graph.

The pipeline, one module a step: document -> tables (text.py, pdf/) ->
placed cells (reconstruct/) -> contract JSON (model.py) -> RDF -> store ->
queries -> HTTP.
"""
__version__ = "0.1.0"
