"""A throttling TCP proxy for the tests and the benchmark: a poor line between a sender and a server.

``ThrottlingProxy(upstream=("127.0.0.1", 8000), rate=3e6, cut_after=10_000_000)`` listens on a
loopback port and forwards every connection to ``upstream``; what the client sends is limited to
``rate`` bytes per second (the upload direction, the one that matters here), and once, after
``cut_after`` bytes sent upstream in all, both sides of the connection in flight are dropped, as a
line that fails in the middle of a request would. Threads only; no dependency.
"""

import contextlib
import socket
import threading
import time

BLOCK = 64 * 1024


class ThrottlingProxy:
    def __init__(self, *, upstream: tuple[str, int], rate: float, cut_after: int | None = None):
        self.upstream = upstream
        self.rate = float(rate)
        self.cut_after = cut_after
        self.sent = 0  # bytes forwarded upstream, all connections
        self.cuts = 0
        self.connections = 0
        self._next = 0.0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._closed = True
        self._listener.close()

    def _accept(self):
        while not self._closed:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            self.connections += 1
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()

    def _wait_for_line(self, size: int) -> None:
        """Hold the sender to ``rate``: each block leaves no earlier than the line allows."""
        with self._lock:
            now = time.monotonic()
            # A token bucket with 50 ms of credit: a thread woken late (a busy machine) catches up
            # instead of losing the time, as a real line's buffer would; idle time is not saved up.
            self._next = max(self._next, now - 0.05) + size / self.rate
            wake = self._next
        delay = wake - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def _up(self, client: socket.socket, server: socket.socket):
        try:
            while True:
                data = client.recv(BLOCK)
                if not data:
                    server.shutdown(socket.SHUT_WR)
                    return
                cut_here = False
                with self._lock:
                    if self.cut_after is not None and self.cuts == 0 and self.sent + len(data) >= self.cut_after:
                        data = data[: self.cut_after - self.sent]
                        self.cuts += 1
                        cut_here = True
                    self.sent += len(data)
                self._wait_for_line(len(data))
                if data:
                    server.sendall(data)
                if cut_here:
                    self._drop(client, server)
                    return
        except OSError:
            self._drop(client, server)

    @staticmethod
    def _down(server: socket.socket, client: socket.socket):
        try:
            while data := server.recv(BLOCK):
                client.sendall(data)
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    @staticmethod
    def _drop(*sockets: socket.socket):
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
