"""Queries run in worker processes, so that a query past its time limit can really
be stopped: an Oxigraph query cannot be interrupted inside its thread, but its
process can be killed. Each worker opens the store read-only (or talks to the
remote endpoint) and answers one job at a time over a pipe; the server hands a
job to an idle worker and, when the time limit passes first, kills that worker
and starts a fresh one while the others go on answering."""
from __future__ import annotations

import asyncio
import io
import multiprocessing
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from budgetkg.query.run import QueryResult, run_sparql, write_result
from budgetkg.serve.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    write_boolean,
    write_solutions,
    write_triples,
)
from budgetkg.serve.safety import Refused
from budgetkg.store.backends import EmbeddedStore, RemoteStore, StoreError

TURTLE_PREFIXES = {
    "bkg": "https://budgetkg.org/def/", "qb": "http://purl.org/linked-data/cube#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "sh": "http://www.w3.org/ns/shacl#",
    "prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/",
}


@dataclass(frozen=True)
class Source:
    """Where queries run: an embedded store directory or a SPARQL endpoint URL."""
    store: str | None = None
    endpoint: str | None = None

    def describe(self) -> str:
        return f"embedded store {self.store}" if self.store else f"SPARQL endpoint {self.endpoint}"


@dataclass(frozen=True)
class Job:
    sparql: str
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE
    format: str  # a name from formats.RESULT_FORMATS or GRAPH_FORMATS; json or csv for a saved query
    saved: bool = False  # a saved query's bound SPARQL, answered as the CLI writes it
    rows: bool = False  # a SELECT whose rows come back as Python values (for the pages)


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    rows: int  # solutions or triples written (1 for ASK)
    truncated: bool  # more rows than the cap: the first `rows` were written
    seconds: float
    result: QueryResult | None = None  # a rows job's columns and rows


class TimedOut(Exception):
    """The query ran past the time limit; its worker was killed."""


class _Opened:
    """A worker's connection to the data: the store opened read-only, or the endpoint."""

    def __init__(self, source: Source, timeout: float):
        self.source = source
        # the server's time limit stops the query (it kills this process); the socket's own
        # time-out is only for a store that stops answering, so it must not fire first
        self.timeout = 2 * timeout + 5
        if source.store:
            self.store = EmbeddedStore(source.store, create=False, read_only=True)
        else:
            self.store = RemoteStore(source.endpoint, timeout=self.timeout)

    def query(self, job: Job):
        """Oxigraph results (solutions, boolean or triples) of a free query."""
        if isinstance(self.store, EmbeddedStore):
            try:
                return self.store.store.query(job.sparql, use_default_graph_as_union=True)
            except SyntaxError as e:
                raise Refused(400, f"SPARQL syntax error: {' '.join(str(e).split())}") from None
        graph = job.form in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        data = urllib.parse.urlencode({"query": job.sparql}).encode()
        req = urllib.request.Request(self.store.endpoint, data=data, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                body = r.read()
        except urllib.error.HTTPError as e:
            message = " ".join(e.read()[:500].decode("utf-8", "replace").split())
            raise Refused(400 if e.code == 400 else 502, f"the store answered {e.code}: {message}") from None
        except OSError as e:
            raise Refused(502, f"{self.store.endpoint}: cannot reach the store ({e})") from None
        if graph:
            return (ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def saved(self, job: Job, row_cap: int) -> Answer:
        """A saved query's result written as `budgetkg query --format json|csv` writes it."""
        start = time.perf_counter()
        try:
            result = run_sparql(self.store, job.sparql)
        except StoreError as e:
            raise Refused(502, str(e)) from None
        except ValueError as e:
            raise Refused(400, str(e)) from None
        truncated = len(result.rows) > row_cap
        result.rows = result.rows[:row_cap]
        if job.rows:
            return Answer(b"", "", len(result.rows), truncated, time.perf_counter() - start, result)
        out = io.StringIO()
        write_result(result, job.format, out)
        media_type = "application/json" if job.format == "json" else "text/csv"
        return Answer(out.getvalue().encode("utf-8"), media_type, len(result.rows), truncated,
                      time.perf_counter() - start)


def answer(opened: _Opened, job: Job, row_cap: int) -> Answer:
    """Run one job: at most `row_cap` rows are read from the store and written."""
    if job.saved or job.rows:
        return opened.saved(job, row_cap)
    start = time.perf_counter()
    result = opened.query(job)
    if job.form == "ASK":
        fmt = RESULT_FORMATS[job.format]
        return Answer(write_boolean(result, fmt), fmt.media_type, 1, False, time.perf_counter() - start)
    rows = []
    truncated = False
    for item in result:
        if len(rows) == row_cap:
            truncated = True
            break
        rows.append(item)
    if job.form == "SELECT":
        fmt = RESULT_FORMATS[job.format]
        variables = [v.value for v in result.variables]
        solutions = [{v: s[v] for v in variables if s[v] is not None} for s in rows]
        body = write_solutions(variables, solutions, fmt)
    else:
        fmt = GRAPH_FORMATS[job.format]
        body = write_triples(rows, fmt, TURTLE_PREFIXES)
    return Answer(body, fmt.media_type, len(rows), truncated, time.perf_counter() - start)


def worker_main(conn, source: Source, row_cap: int, timeout: float) -> None:
    """A worker process: open the data once, then answer jobs until the pipe closes."""
    try:
        opened = _Opened(source, timeout)
    except OSError as e:
        conn.send(("fatal", 503, f"{source.describe()}: cannot open ({e})"))
        return
    conn.send(("ready", None, None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", answer(opened, job, row_cap), None))
        except Refused as e:
            conn.send(("refused", e.status, e.message))
        except Exception as e:  # noqa: BLE001 - the server answers 500 and the worker lives on
            conn.send(("error", 500, f"{type(e).__name__}: {' '.join(str(e).split())[:500]}"))


class _Worker:
    def __init__(self, context, source: Source, row_cap: int, timeout: float):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, source, row_cap, timeout),
                                       daemon=True, name="budgetkg-query-worker")
        self.process.start()
        child.close()
        self.ready = False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


async def _receive(conn, timeout: float | None):
    """The next message on `conn`, or TimedOut after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    readable = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
    try:
        await asyncio.wait_for(readable, timeout)
    except asyncio.TimeoutError:
        raise TimedOut() from None
    finally:
        loop.remove_reader(fd)
    return conn.recv()


class WorkerPool:
    """`size` worker processes; `run(job)` waits for an idle one, at most
    `timeout` seconds for its answer (Refused, or TimedOut after killing it)."""

    def __init__(self, source: Source, size: int = 2, timeout: float = 10.0, row_cap: int = 10_000,
                 start_timeout: float = 60.0):
        self.source = source
        self.size = size
        self.timeout = timeout
        self.row_cap = row_cap
        self.start_timeout = start_timeout
        self.context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.idle: asyncio.Queue[_Worker] | None = None
        self.replaced = 0

    async def start(self) -> None:
        self.idle = asyncio.Queue()
        for _ in range(self.size):
            self.idle.put_nowait(_Worker(self.context, self.source, self.row_cap, self.timeout))

    async def stop(self) -> None:
        while self.idle is not None and not self.idle.empty():
            self.idle.get_nowait().kill()

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        self.replaced += 1
        return _Worker(self.context, self.source, self.row_cap, self.timeout)

    async def run(self, job: Job) -> Answer:
        worker = await self.idle.get()
        try:
            if not worker.ready:  # a new worker: wait until it has opened the store
                kind, status, message = await _receive(worker.conn, self.start_timeout)
                if kind == "fatal":
                    raise Refused(status, message)
                worker.ready = True
            worker.conn.send(job)
            kind, value, message = await _receive(worker.conn, self.timeout)
        except TimedOut:
            worker = self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError) as e:
            worker = self._replace(worker)
            raise Refused(500, f"the query worker died ({type(e).__name__}); it was replaced") from None
        except Refused:
            worker = self._replace(worker)
            raise
        except BaseException:  # cancelled (the client went away): the worker may still be busy
            worker = self._replace(worker)
            raise
        finally:
            self.idle.put_nowait(worker)
        if kind == "ok":
            return value
        raise Refused(value, message)
