"""What the endpoint refuses before anything runs: a query is parsed (rdflib's
SPARQL grammar) and its parse tree, not its text, is checked. Updates are
refused (the endpoint is read-only); SERVICE, LOAD and FROM/FROM NAMED with a
graph outside the store's own namespace would make the server (or the store
behind it) fetch a URL the caller chose, so they are refused too."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from budgetkg.graph.namespaces import ID

# graphs a FROM / FROM NAMED may name: the store's own (documents, units, code lists)
OWN_GRAPHS = ("https://budgetkg.org/",)
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
assert ID.startswith(OWN_GRAPHS[0])


class Refused(ValueError):
    """A request the endpoint will not run: `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _nodes(tree):
    """Every parse-tree node (rdflib CompValue) below `tree`, depth first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if name is not None:
            yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _parse_message(e: Exception) -> str:
    return " ".join(str(e).split())


def refuse_update(text: str) -> None:
    """An update is refused: 400 when it would fetch a URL (LOAD), else 403."""
    from rdflib.plugins.sparql.parser import parseUpdate
    try:
        tree = parseUpdate(text)
    except Exception:  # noqa: BLE001 - not even an update: the query parser's message is the useful one
        return
    if any(n.name == "Load" for n in _nodes(tree)):
        raise Refused(400, "LOAD is refused: it would make the server fetch a URL (and this endpoint is read-only)")
    raise Refused(403, "this endpoint is read-only: SPARQL UPDATE is not accepted")


def check_query(text: str) -> CheckedQuery:
    """The query's form, or Refused(400/403) with the reason in one line."""
    # parsing takes milliseconds: short queries (the saved ones, the pages') are remembered,
    # long ones are not, so that the cache cannot grow past a few megabytes
    return _check_short(text) if len(text) <= 4096 else _check(text)


@lru_cache(maxsize=1024)
def _check_short(text: str) -> CheckedQuery:
    return _check(text)


def _check(text: str) -> CheckedQuery:
    from rdflib.plugins.sparql.parser import parseQuery
    if not text.strip():
        raise Refused(400, "empty query")
    try:
        tree = parseQuery(text)
    except Exception as e:  # noqa: BLE001 - pyparsing's ParseException and rdflib's own errors
        refuse_update(text)
        raise Refused(400, f"SPARQL syntax error: {_parse_message(e)}") from None
    form = None
    for node in _nodes(tree):
        if node.name in FORMS:
            form = form or FORMS[node.name]
        elif node.name == "ServiceGraphPattern":
            raise Refused(400, f"SERVICE {node.get('term').n3()} is refused: the server does not query other endpoints")
        elif node.name == "DatasetClause":
            iri = str(node["default"] if "default" in node else node["named"])
            if not iri.startswith(OWN_GRAPHS):
                raise Refused(400, f"FROM <{iri}> is refused: only the store's own graphs "
                                   f"({OWN_GRAPHS[0]}…) may be named, nothing is fetched")
    if form is None:
        raise Refused(400, "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return CheckedQuery(text, form)
