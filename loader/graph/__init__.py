"""The graph: vocabulary terms, identifiers, code lists as SKOS, and a Document as RDF."""
