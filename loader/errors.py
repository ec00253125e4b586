"""Errors a user can act on: each names the file (and line or page) and says
what is wrong, so the CLI prints one line instead of a traceback."""
from __future__ import annotations


class ExtractionError(Exception):
    """A document that cannot be read: empty, binary, truncated, no tables."""

    def __init__(self, path: str, message: str, line: int | None = None,
                 page: int | None = None):
        self.path, self.message, self.line, self.page = path, message, line, page
        where = f":{line}" if line else (f" page {page}" if page else "")
        super().__init__(f"{path}{where}: {message}")
