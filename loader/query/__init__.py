"""Saved queries: queries/*.rq with a comment header (title, description,
parameters, example), validated parameters bound as typed RDF terms, and
results as tables, CSV or JSON.

The package itself is callable, so that `budgetkg.query(name, **params)` is
the Python API although `budgetkg.query` is also this package's name."""
import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, name: str, **kwargs):
        from budgetkg.query.api import query
        return query(name, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
