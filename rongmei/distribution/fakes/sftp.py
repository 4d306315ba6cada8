"""A small SFTP server (paramiko, in a thread, on 127.0.0.1 and a free
port) serving a temporary directory, for the SFTP channel's tests.

One account (password, or a public key in ``authorized_key``), one
Ed25519 host key per test session (:func:`host_key`). ``logins`` records
the login attempts, ``log`` the file operations (``("open", path, "w")``, ``("rename", old, new)``,
``("stat", path)``…), so a test can see how a file got there. Bad day:
``drop_after_rename``: how many of the next renames are done, then the
connection is cut before the client hears so.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import paramiko
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from paramiko.sftp import SFTP_OK


def new_private_key() -> str:
    """A fresh Ed25519 private key in OpenSSH PEM text (paramiko cannot make one itself)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption()).decode()


def load(pem: str) -> paramiko.PKey:
    return paramiko.Ed25519Key.from_private_key(io.StringIO(pem))


@functools.cache
def host_key() -> paramiko.PKey:
    """The fakes' host key, made once per process."""
    return load(new_private_key())


def public_line(key: paramiko.PKey) -> str:
    """As in known_hosts: ``ssh-ed25519 AAAA…``."""
    return f"{key.get_name()} {key.get_base64()}"


class _Server(paramiko.ServerInterface):
    def __init__(self, fake: FakeSFTP, transport: paramiko.Transport):
        self.fake, self.transport = fake, transport

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def get_allowed_auths(self, username):
        return "password,publickey"

    def check_auth_password(self, username, password):
        ok = (username, password) == (self.fake.username, self.fake.password)
        self.fake.logins.append(("password", username, ok))
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_auth_publickey(self, username, key):
        wanted = self.fake.authorized_key
        ok = username == self.fake.username and wanted is not None and key.asbytes() == wanted.asbytes()
        self.fake.logins.append(("publickey", username, ok))
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as e:
            return paramiko.SFTPServer.convert_errno(e.errno)


class _Files(paramiko.SFTPServerInterface):
    """The served directory; remote ``/x`` is ``<root>/x``."""

    def __init__(self, server: _Server, *args, **kwargs):
        super().__init__(server, *args, **kwargs)
        self.server, self.fake = server, server.fake

    def _local(self, path: str) -> str:
        return str(self.fake.root / posixpath.normpath("/" + path).lstrip("/"))

    def _do(self, entry, call):
        self.fake.log.append(entry)
        try:
            return call()
        except OSError as e:
            return paramiko.SFTPServer.convert_errno(e.errno)

    def list_folder(self, path):
        def listing():
            local = self._local(path)
            return [
                paramiko.SFTPAttributes.from_stat(os.stat(os.path.join(local, name)), name)
                for name in os.listdir(local)
            ]

        return self._do(("list", path), listing)

    def stat(self, path):
        return self._do(("stat", path), lambda: paramiko.SFTPAttributes.from_stat(os.stat(self._local(path))))

    lstat = stat

    def open(self, path, flags, attr):
        writing = bool(flags & (os.O_WRONLY | os.O_RDWR))

        def opened():
            fd = os.open(self._local(path), flags, 0o644)
            mode = ("ab" if flags & os.O_APPEND else "wb") if flags & os.O_WRONLY else "r+b" if writing else "rb"
            handle = _Handle(flags)
            handle.filename = self._local(path)
            handle.readfile = handle.writefile = os.fdopen(fd, mode)
            return handle

        return self._do(("open", path, "w" if writing else "r"), opened)

    def remove(self, path):
        return self._do(("remove", path), lambda: os.remove(self._local(path)) or SFTP_OK)

    def _renamed(self, entry, old, new, replace):
        def rename():
            if not replace and os.path.exists(self._local(new)):
                raise FileExistsError(17, "exists")
            os.replace(self._local(old), self._local(new))
            return SFTP_OK

        result = self._do(entry, rename)
        with self.fake.lock:
            drop = result == SFTP_OK and self.fake.drop_after_rename > 0
            self.fake.drop_after_rename -= 1 if drop else 0
        if drop:
            self.server.transport.close()  # renamed, but the client never hears so
        return result

    def rename(self, oldpath, newpath):
        return self._renamed(("rename", oldpath, newpath), oldpath, newpath, replace=False)

    def posix_rename(self, oldpath, newpath):
        return self._renamed(("rename", oldpath, newpath), oldpath, newpath, replace=True)

    def mkdir(self, path, attr):
        return self._do(("mkdir", path), lambda: os.mkdir(self._local(path)) or SFTP_OK)


class FakeSFTP:
    def __init__(self, username: str = "partner", password: str = "sftp-Pass-2026", directories=("upload",)):
        self.username, self.password = username, password
        self.authorized_key: paramiko.PKey | None = None
        self.key = host_key()
        self.root = Path(tempfile.mkdtemp(prefix="fake-sftp-"))
        for directory in directories:
            (self.root / directory).mkdir(parents=True, exist_ok=True)
        self.log: list[tuple] = []
        self.logins: list[tuple] = []  # (method, username, ok)
        self.drop_after_rename = 0
        self.lock = threading.Lock()
        self.transports: list[paramiko.Transport] = []
        self.sock: socket.socket | None = None

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    @property
    def host_key_line(self) -> str:
        return public_line(self.key)

    def files(self, directory: str = "upload") -> list[str]:
        return sorted(os.listdir(self.root / directory))

    def writes(self) -> list[str]:
        return [entry[1] for entry in self.log if entry[0] == "open" and entry[2] == "w"]

    def start(self) -> FakeSFTP:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return  # stopped
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        transport = paramiko.Transport(connection)
        transport.add_server_key(self.key)
        transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Files)
        with self.lock:
            self.transports.append(transport)
        try:
            transport.start_server(server=_Server(self, transport))
        except (paramiko.SSHException, EOFError, OSError):
            transport.close()

    def stop(self) -> None:
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            except OSError:
                pass
            self.sock.close()
        for transport in self.transports:
            transport.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> FakeSFTP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
