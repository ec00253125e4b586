"""Readers: a document (text extraction or PDF) to raw tables, rows and printed amounts.
They know layouts, not arithmetic and not the graph."""
