"""Ctrl-C that works while a solver searches: the main command and each
worker process of a batch call stop_searches_on_ctrl_c() once."""
from __future__ import annotations

import signal
import socket
import threading
import time

_keep: list = []  # the wakeup sockets live as long as the process


def stop_searches_on_ctrl_c() -> None:
    """Python handles Ctrl-C only between bytecodes; a CP-SAT search holds the
    main thread in C++ for up to its time limit. The signal also writes a byte
    to a wakeup socket, and this thread then stops the search at once."""
    from budgetkg.reconstruct.solve import stop_searches
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)

    def watch() -> None:
        while byte := reader.recv(1):
            if byte[0] == signal.SIGINT:  # the byte is the signal's number
                break
        else:
            return
        # keep stopping until Python raises KeyboardInterrupt and the process ends: a signal that
        # arrives while a solve is being set up, before its search starts, would find nothing to
        # stop, and the search would then run its whole time limit (seen on a loaded CI machine)
        while True:
            stop_searches()
            time.sleep(0.05)
    threading.Thread(target=watch, daemon=True, name="ctrl-c").start()
    _keep.extend([reader, writer])
