"""A TCP proxy that can be opened late and cut: a broker that goes away and
comes back, without stopping the machine's RabbitMQ under other tests."""

from __future__ import annotations

import contextlib
import socket
import threading


class TcpProxy:
    def __init__(self, listen_port: int, target: tuple[str, int]) -> None:
        self.listen_port = listen_port
        self.target = target
        self._server: socket.socket | None = None
        self._acceptor: threading.Thread = threading.Thread()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.listen_port))
        server.listen(16)
        server.settimeout(0.2)
        self._stop = threading.Event()
        self._server = server
        self._acceptor = threading.Thread(
            target=self._accept, args=(server, self._stop), daemon=True
        )
        self._acceptor.start()

    def stop(self) -> None:
        """Accept no more connections (those open stay open)."""
        self._stop.set()
        if self._server is not None:
            # The port is free only once the accepting thread let go of it.
            self._acceptor.join(5)
            self._server.close()
            self._server = None

    def cut(self) -> None:
        """As if the broker went away: refuse new connections, reset the open
        ones. `start()` opens the way again."""
        self.stop()
        with self._lock:
            cut, self._open = self._open, set()
        for sock in cut:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, server: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if stop.is_set():
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)
