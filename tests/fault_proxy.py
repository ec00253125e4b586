"""A fault-injecting HTTP proxy for tests, loopback only: it forwards each
request to a real server, except the one it is told to break.

Faults, injected at the n-th request (1-based) before it reaches the server:
  reset  the connection is reset (TCP RST) instead of an answer
  500    an HTTP 500 answer; the server never sees the request
  die    the server process is killed, then the connection is reset
and after it reached the server:
  lost   the server applies the request, its answer is replaced by a reset

Also `PersistentOxigraph`: `oxigraph serve` on a folder, so that a server that
died can be started again and its content compared."""
from __future__ import annotations

import socket
import struct
import subprocess
import threading
import urllib.request

from graph_support import oxigraph_binary
from servers import wait_until_answering

FAULTS = ("reset", "500", "die", "lost")
TIMEOUT = 30  # seconds any socket waits: a stuck test fails instead of hanging


class PersistentOxigraph:
    """`oxigraph serve --location DIR` on a free loopback port; `union`: with
    --union-default-graph (how budgetkg needs it)."""

    def __init__(self, location, union: bool = True):
        self.location, self.union = str(location), union
        self.proc = None
        self.start()

    def start(self) -> None:
        from graph_support import free_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [oxigraph_binary(), "serve", "--location", self.location, "--bind", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(cmd + (["--union-default-graph"] if self.union else []),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_answering(f"{self.url}/query?query=ASK%7B%7D", self.proc, "oxigraph serve", 30, self.stop)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """Dies as on a crash: SIGKILL, no clean shutdown."""
        if self.alive():
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def dump(self) -> bytes:
        """Every quad of the store as N-Quads (the server must be running)."""
        req = urllib.request.Request(f"{self.url}/store", headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.read()


def _read_request(conn: socket.socket) -> bytes | None:
    """One whole HTTP request (head and Content-Length body), or None at EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
    conn.close()


class FaultProxy:
    """Listens on 127.0.0.1:<free port>, forwards to `server` (a
    PersistentOxigraph); `fault` at request number `at` (None: no fault).
    `requests` lists the request lines seen, in order."""

    def __init__(self, server: PersistentOxigraph, fault: str | None = None, at: int | None = None):
        assert fault is None or fault in FAULTS
        self.server, self.fault, self.at = server, fault, at
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(TIMEOUT)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            request = _read_request(conn)
            if request is None:
                conn.close()
                return
            with self.lock:
                self.requests.append(request.split(b"\r\n", 1)[0].decode("latin-1"))
                n = len(self.requests)
            fault = self.fault if n == self.at else None
            if fault == "reset":
                return _reset(conn)
            if fault == "500":
                conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 14\r\nConnection: close\r\n\r\ninjected fault")
                return conn.close()
            if fault == "die":
                self.server.kill()
                return _reset(conn)
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT) as up:
                up.sendall(request)
                up.shutdown(socket.SHUT_WR)
                answer = b""
                while chunk := up.recv(65536):
                    answer += chunk
            if fault == "lost":
                return _reset(conn)
            conn.sendall(answer)
            conn.close()
        except OSError:
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=TIMEOUT)
        self.listener.close()
