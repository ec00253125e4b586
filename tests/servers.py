"""Shared by the tests that start a server process (oxigraph serve, budgetkg
serve): wait until it answers, or fail saying why."""
from __future__ import annotations

import subprocess
import time
import urllib.request
from typing import Callable


def wait_until_answering(url: str, proc: subprocess.Popen, what: str, seconds: float,
                         stop: Callable[[], None]) -> bytes:
    """The first answer to GET `url` from `proc`, a server just started: asked
    again until it answers; if the process exits, or `seconds` pass (then
    `stop` ends it), a RuntimeError naming `what`, with the process's stderr."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except OSError:
            if proc.poll() is not None:
                err = proc.stderr.read() if proc.stderr else ""
                err = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
                raise RuntimeError(f"{what} exited: {err[:1000]}") from None
            if time.monotonic() > deadline:
                stop()
                raise RuntimeError(f"{what} did not answer within {seconds:.0f} s") from None
            time.sleep(0.1)
