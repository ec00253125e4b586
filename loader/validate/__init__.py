"""Validation: the SHACL shapes run on a document's graph, and the checks that join documents."""
