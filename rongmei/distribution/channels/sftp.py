"""SFTP: drops the partner-media package (素材包, a zip) into a directory
on the partner's server.

Options: ``host``, ``port`` (22), ``directory``; ``host_key``, the
server's public host key as in known_hosts (``ssh-ed25519 AAAA…``);
``trust_first_key``. Credentials: ``username`` and ``password``, or
``private_key`` (PEM or OpenSSH text, ``passphrase`` if it has one).

Security by default: the server's host key must match ``host_key``, else
nothing is sent (not even the password). Without a pinned key the channel
refuses too, unless ``trust_first_key`` is on: then the first key seen is
recorded as the pinned one (and audited), and checked from then on.

The file is ``<directory>/<YYYYMMDD>-<story id>-<idempotency key>.zip``:
written under a hidden temporary name (``.<name>.part``), then renamed
(``posix-rename``, atomic on the server), so the partner never picks up
half a package. The name is the same on every attempt, so after a crash
:meth:`SftpAdapter.reconcile` looks for it: there with the size we were
uploading means done; else it is uploaded again (replacing, never adding,
a file).
"""

from __future__ import annotations

import io
import posixpath
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import paramiko

from rongmei.distribution.channels._package import package_name, partner_package
from rongmei.distribution.channels.base import (
    Adapter,
    CannotTell,
    Context,
    Delivered,
    Permanent,
    Temporary,
    Uncertain,
)

TRANSPORT_ERRORS = (OSError, paramiko.SSHException, EOFError)


def remote_path(delivery) -> str:
    directory = ((delivery.channel.options or {}).get("directory") or "").strip()
    name = package_name(delivery)
    return posixpath.join(directory, name) if directory else name


def temporary_path(path: str) -> str:
    head, name = posixpath.split(path)
    return posixpath.join(head, f".{name}.part")


def key_line(key: paramiko.PKey) -> str:
    return f"{key.get_name()} {key.get_base64()}"


def private_key(text: str, passphrase: str | None) -> paramiko.PKey:
    for kind in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return kind.from_private_key(io.StringIO(text), password=passphrase or None)
        except paramiko.PasswordRequiredException:
            raise Permanent("此渠道的 SFTP 私钥有口令保护，请在凭据中填写口令（passphrase）。", code="config") from None
        except (paramiko.SSHException, ValueError, TypeError):
            continue
    raise Permanent("无法读取此渠道的 SFTP 私钥（应为 PEM 或 OpenSSH 格式的私钥文本）。", code="config")


class SftpAdapter(Adapter):
    code = "sftp"
    label = "SFTP（素材包）"
    can_check = True
    timeout = (10.0, 60.0)  # connect and handshake; each SFTP request

    def prepare(self, delivery) -> None:
        options, credentials = delivery.channel.options or {}, delivery.channel.credentials
        if not options.get("host"):
            raise Permanent("此渠道没有设置 SFTP 服务器地址（host）。", code="config")
        if not credentials.get("username") or not (credentials.get("password") or credentials.get("private_key")):
            raise Permanent("此渠道没有设置 SFTP 用户名和密码（或私钥）。", code="config")

    def deliver(self, context: Context) -> Delivered:
        path = remote_path(context.delivery)
        result = context.once("upload", lambda: self._upload(context, path))
        return Delivered(
            result["path"],
            message=f"素材包已上传到 {context.options['host']}：{result['path']}（{result['size']} 字节）。",
        )

    def reconcile(self, context: Context, step: str):
        if step != "upload":
            raise CannotTell(step)
        path = remote_path(context.delivery)
        with self.session(context.channel, context.credentials) as sftp:
            try:
                size = sftp.stat(path).st_size
            except FileNotFoundError:
                return None
            except TRANSPORT_ERRORS as exc:
                raise Temporary(
                    f"无法在 SFTP 服务器上核对素材包（{type(exc).__name__}），稍后重试。", code="sftp"
                ) from None
        expected = context.checkpoint.get("package_size")
        if expected is not None and size != expected:
            return None  # not the package we sent: send it again (it replaces this one)
        return {"path": path, "size": size}

    def _upload(self, context: Context, path: str) -> dict:
        directory = posixpath.dirname(path) or "."
        with partner_package(context.delivery) as (fileobj, size):
            context.checkpoint["package_size"] = size  # what reconcile expects to find
            context.save(context.checkpoint)
            with self.session(context.channel, context.credentials) as sftp:
                temporary = temporary_path(path)
                try:
                    sftp.putfo(fileobj, temporary, file_size=size, confirm=True)
                    _rename(sftp, temporary, path)
                except FileNotFoundError:
                    raise Permanent(
                        f"SFTP 服务器上没有目录 {directory}，请检查渠道设置。", code="sftp-directory"
                    ) from None
                except PermissionError:
                    raise Permanent(f"此 SFTP 账号没有写入目录 {directory} 的权限。", code="sftp-permission") from None
                except TRANSPORT_ERRORS as exc:
                    raise Uncertain(
                        f"上传素材包时与 SFTP 服务器的连接中断（{type(exc).__name__}），"
                        "下次将先核对服务器上是否已有此文件。",
                        code="sftp-transport",
                    ) from None
        return {"path": path, "size": size}

    # -- the connection

    @contextmanager
    def session(self, channel, credentials: dict) -> Iterator[paramiko.SFTPClient]:
        """An SFTP session on a server whose host key checks out, logged in."""
        options = channel.options or {}
        host, port = options.get("host", ""), int(options.get("port") or 22)
        connect, read = self.timeout
        try:
            sock = socket.create_connection((host, port), timeout=connect)
        except OSError as exc:
            raise Temporary(
                f"无法连接 SFTP 服务器 {host}:{port}（{type(exc).__name__}），稍后重试。", code="connect"
            ) from None
        transport = paramiko.Transport(sock)
        transport.banner_timeout = transport.handshake_timeout = transport.auth_timeout = connect
        try:
            try:
                transport.start_client(timeout=connect)
            except TRANSPORT_ERRORS as exc:
                raise Temporary(
                    f"与 SFTP 服务器 {host}:{port} 握手失败（{type(exc).__name__}），稍后重试。", code="connect"
                ) from None
            self._check_host_key(channel, transport.get_remote_server_key())
            self._log_in(transport, credentials, host)
            try:
                sftp = paramiko.SFTPClient.from_transport(transport)
                sftp.get_channel().settimeout(read)
            except TRANSPORT_ERRORS as exc:
                raise Temporary(f"SFTP 服务器没有提供 SFTP 服务（{type(exc).__name__}）。", code="connect") from None
            yield sftp
        finally:
            transport.close()

    def _check_host_key(self, channel, key: paramiko.PKey) -> None:
        """Refuse a server whose key is not the pinned one; pin the first key where allowed."""
        options = channel.options or {}
        seen, host = key_line(key), options.get("host", "")
        pinned = (options.get("host_key") or "").split()
        if pinned:
            if pinned[:2] != seen.split():
                raise Permanent(
                    f"SFTP 服务器 {host} 出示的主机密钥（{key.fingerprint}）与登记的不一致，已拒绝连接："
                    "可能是对方更换了服务器密钥，也可能是连接被人冒充。请与对方核实密钥指纹后，在渠道设置中更新主机密钥。",
                    code="sftp-host-key",
                )
            return
        if not options.get("trust_first_key"):
            raise Permanent(
                f"尚未登记 SFTP 服务器 {host} 的主机密钥，为安全起见已拒绝连接。请向对方索取主机密钥"
                f"（例如 ssh-ed25519 AAAA…）填入渠道设置；本次服务器出示的密钥指纹是 {key.fingerprint}。"
                "在确认网络可信时，也可开启“首次连接时信任主机密钥”。",
                code="sftp-host-key",
            )
        self._pin(channel, seen, key.fingerprint)

    def _pin(self, channel, line: str, fingerprint: str) -> None:
        from rongmei.core import audit
        from rongmei.distribution.models import Channel

        options = {**(channel.options or {}), "host_key": line}
        options.pop("trust_first_key", None)  # trusted once; checked from now on
        Channel.objects.filter(pk=channel.pk).update(options=options)
        channel.options = options
        audit.record(
            "distribution.channel.host_key_pinned", channel, data={"host_key": line, "fingerprint": fingerprint}
        )

    def _log_in(self, transport: paramiko.Transport, credentials: dict, host: str) -> None:
        username = credentials.get("username", "")
        try:
            if credentials.get("private_key"):
                transport.auth_publickey(
                    username, private_key(credentials["private_key"], credentials.get("passphrase"))
                )
            else:
                transport.auth_password(username, credentials.get("password", ""))
        except paramiko.AuthenticationException:
            raise Permanent(
                f"SFTP 服务器 {host} 拒绝了登录：此渠道的用户名、密码或私钥不正确，请在渠道设置中更新。",
                code="sftp-auth",
            ) from None
        except TRANSPORT_ERRORS as exc:
            raise Temporary(
                f"登录 SFTP 服务器 {host} 时连接中断（{type(exc).__name__}），稍后重试。", code="connect"
            ) from None

    def test_connection(self, channel, http) -> str:
        """Connect (checking the host key), log in, list the directory."""
        options = channel.options or {}
        directory = options.get("directory") or "."
        with self.session(channel, channel.credentials) as sftp:
            try:
                names = sftp.listdir(directory)
            except FileNotFoundError:
                raise Permanent(f"SFTP 服务器上没有目录 {directory}。", code="sftp-directory") from None
            except PermissionError:
                raise Permanent(f"此 SFTP 账号无权读取目录 {directory}。", code="sftp-permission") from None
            except TRANSPORT_ERRORS as exc:
                raise Temporary(f"读取目录 {directory} 时连接中断（{type(exc).__name__}）。", code="connect") from None
        return (
            f"已连接 SFTP 服务器 {options.get('host')} 并登录，目录 {directory} 可以访问（现有 {len(names)} 个文件）。"
        )


def _rename(sftp: paramiko.SFTPClient, old: str, new: str) -> None:
    """Atomic, replacing: the OpenSSH extension; plain rename where the server lacks it."""
    try:
        sftp.posix_rename(old, new)
    except OSError as exc:
        if "unsupported" not in str(exc).lower():
            raise
        sftp.rename(old, new)  # a server without posix-rename


ADAPTER = SftpAdapter()
