"""A tiny SMTP server for tests (aiosmtpd is not installed): the basic dialogue, messages kept in memory.

It can be stopped and started again on the same port, to play "the mail server is down, then back".
"""

import socket
import socketserver
import threading
from email import message_from_bytes


def vrije_poort() -> int:
    """A port where nothing listens (connection refused until a server starts there)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler(socketserver.StreamRequestHandler):
    def _zeg(self, regel: str) -> None:
        self.wfile.write(regel.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self._zeg("220 test-smtp ESMTP")
        afzender, ontvangers = None, []
        while True:
            regel = self.rfile.readline()
            if not regel:
                return
            opdracht = regel.decode(errors="replace").strip()
            woord = opdracht.split(" ", 1)[0].upper()
            if woord in ("EHLO", "HELO"):
                self._zeg("250-test-smtp" if woord == "EHLO" else "250 test-smtp")
                if woord == "EHLO":
                    self._zeg("250 8BITMIME")
            elif woord == "MAIL":
                afzender, ontvangers = opdracht, []
                self._zeg("250 OK")
            elif woord == "RCPT":
                ontvangers.append(opdracht.split(":", 1)[1].strip(" <>"))
                self._zeg("250 OK")
            elif woord == "DATA":
                self._zeg("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    r = self.rfile.readline()
                    if not r or r == b".\r\n":
                        break
                    data += r[1:] if r.startswith(b"..") else r
                self.server.berichten.append((afzender, list(ontvangers), message_from_bytes(bytes(data))))
                self._zeg("250 OK queued")
            elif woord == "RSET":
                afzender, ontvangers = None, []
                self._zeg("250 OK")
            elif woord == "NOOP":
                self._zeg("250 OK")
            elif woord == "QUIT":
                self._zeg("221 Bye")
                return
            else:
                self._zeg("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class TestSmtpServer:
    __test__ = False  # not a pytest test class

    def __init__(self, poort: int | None = None):
        self.poort = poort or vrije_poort()
        self.berichten: list = []
        self._server = None

    def start(self) -> "TestSmtpServer":
        self._server = _Server(("127.0.0.1", self.poort), _Handler)
        self._server.berichten = self.berichten
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
