"""Stores (embedded Oxigraph, any SPARQL 1.1 server) and loading documents into them,
one transaction per document."""
