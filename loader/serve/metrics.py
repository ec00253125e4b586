"""Counters for /health and /metrics: requests, answers by status, errors, queries
and the time they took, time-outs and results cut at the row cap."""
from __future__ import annotations

import time
from collections import Counter


class Counters:
    def __init__(self):
        self.started = time.time()
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.queries = 0
        self.query_seconds = 0.0
        self.timeouts = 0
        self.truncated = 0

    @property
    def errors(self) -> int:
        """Answers with a server error (5xx)."""
        return sum(n for s, n in self.statuses.items() if s >= 500)

    @property
    def refused(self) -> int:
        """Answers refusing the request (4xx)."""
        return sum(n for s, n in self.statuses.items() if 400 <= s < 500)

    def query_done(self, seconds: float, truncated: bool) -> None:
        self.queries += 1
        self.query_seconds += seconds
        self.truncated += truncated

    def as_dict(self) -> dict:
        return {"uptime_seconds": round(time.time() - self.started, 1), "requests": self.requests,
                "errors": self.errors, "refused": self.refused, "queries": self.queries,
                "query_seconds": round(self.query_seconds, 6), "timeouts": self.timeouts,
                "truncated": self.truncated, "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}

    def prometheus(self) -> str:
        """The Prometheus text exposition format."""
        lines = []

        def metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]):
            lines.append(f"# HELP budgetkg_{name} {help_text}")
            lines.append(f"# TYPE budgetkg_{name} {kind}")
            lines.extend(f"budgetkg_{name}{labels} {value}" for labels, value in samples)

        metric("requests_total", "counter", "HTTP requests received", [("", self.requests)])
        metric("responses_total", "counter", "HTTP responses by status",
               [(f'{{status="{s}"}}', n) for s, n in sorted(self.statuses.items())])
        metric("errors_total", "counter", "responses with a server error (5xx)", [("", self.errors)])
        metric("queries_total", "counter", "queries run on the store", [("", self.queries)])
        metric("query_seconds_total", "counter", "time spent running queries", [("", round(self.query_seconds, 6))])
        metric("query_timeouts_total", "counter", "queries stopped at the time limit", [("", self.timeouts)])
        metric("results_truncated_total", "counter", "results cut at the row cap", [("", self.truncated)])
        return "\n".join(lines) + "\n"


class CountingMiddleware:
    """Counts every request and the status of its answer (pure ASGI: no extra task per request)."""

    def __init__(self, app, counters: Counters):
        self.app = app
        self.counters = counters

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.counters.requests += 1

        async def counting_send(message):
            if message["type"] == "http.response.start":
                self.counters.statuses[message["status"]] += 1
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        except Exception:
            self.counters.statuses[500] += 1
            raise
