"""Email (电子邮件, SMTP): the story as a message, with the partner-media
package (素材包) attached when the channel is a partner-media channel.

Options: ``host``, ``port`` (default 465 with ``ssl``, 587 with
``starttls``, else 25), ``starttls`` and ``ssl`` (booleans), ``from``,
``to`` (a list of addresses), ``attachment_limit_mb`` (default 20: a bigger
package fails, suggesting SFTP), ``helo`` (the name we greet with, default
the sender's domain). Credentials: ``username`` and ``password`` (no login
without a username). The HTTP proxy of the channel does not apply: point
``host`` at the gateway's mail relay where there is one.

SMTP cannot be asked whether a message arrived: the send is a ``once``
step, and when the connection drops after the message's content was sent,
the delivery waits for a person (:meth:`EmailAdapter.reconcile` says
:class:`CannotTell`). The ``Message-ID`` is derived from the idempotency
key, so the recipient can recognise a repeat sent by hand.
"""

from __future__ import annotations

import email.policy
import email.utils
import html
import re
import smtplib
import ssl
from email.message import EmailMessage

from django.utils.html import strip_tags

from rongmei.distribution.channels._package import package_name, partner_package
from rongmei.distribution.channels.base import (
    Adapter,
    CannotTell,
    Context,
    Delivered,
    DeliveryError,
    Permanent,
    Temporary,
    Uncertain,
)

MB = 1024 * 1024
TEXT_MAX = 300

# What a 5xx reply means, in plain words.
MEANINGS = {
    530: "服务器要求先登录",
    550: "收件邮箱不存在或不可用",
    551: "收件人不在此服务器上",
    552: "邮件过大或收件邮箱已满",
    553: "邮箱地址不被接受",
    554: "邮件被拒收",
}


def recipients(options: dict) -> list[str]:
    to = options.get("to") or []
    if isinstance(to, str):
        to = to.split(",")
    return [address.strip() for address in to if address and address.strip()]


def sender(options: dict, credentials: dict) -> str:
    return (options.get("from") or credentials.get("username") or "").strip()


def message_id(delivery) -> str:
    """``<idempotency key@sender's domain>``: the same on every attempt."""
    address = sender(delivery.channel.options or {}, {})
    domain = address.rpartition("@")[2] or "rongmei.local"
    return f"<{delivery.idempotency_key}@{domain}>"


def text_of(body: str) -> tuple[str, str]:
    """The plain text of a body, and the HTML itself when it was HTML."""
    body = body or ""
    if not re.search(r"<[a-zA-Z/][^>]*>", body):
        return body, ""
    text = re.sub(r"(?i)<br\s*/?>", "\n", body)
    text = re.sub(r"(?i)</(p|div|h[1-6]|li|blockquote|figure|section)>", "\n\n", text)
    text = re.sub(r"\n{3,}", "\n\n", html.unescape(strip_tags(text)))
    return text.strip(), body


class EmailAdapter(Adapter):
    code = "email"
    label = "电子邮件（SMTP）"
    can_check = False
    timeout = (10.0, 30.0)  # smtplib has one timeout: the second is used
    attachment_limit_mb = 20

    def prepare(self, delivery) -> None:
        options = delivery.channel.options or {}
        if not options.get("host"):
            raise Permanent("此渠道没有设置邮件服务器（host）。", code="config")
        if not recipients(options):
            raise Permanent("此渠道没有设置收件人（to）。", code="config")
        if not sender(options, delivery.channel.credentials):
            raise Permanent("此渠道没有设置发件人（from）。", code="config")

    def deliver(self, context: Context) -> Delivered:
        message = self.message(context)
        result = context.once("send", lambda: self._send(context, message))
        return Delivered(result["message_id"].strip("<>"), message=f"邮件服务器已接收邮件（{result['reply']}）。")

    def reconcile(self, context: Context, step: str):
        raise CannotTell("邮件服务器（SMTP）无法查询一封邮件是否已被接收。")

    def manual_instructions(self, delivery) -> str:
        options = delivery.channel.options or {}
        return (
            "上次发送时，邮件服务器在收到邮件内容后断开了连接，而 SMTP 无法查询邮件是否已被接收。"
            f"请向收件方（{'、'.join(recipients(options))}）核实是否收到主题为“{delivery.payload.get('title', '')}”"
            f"的邮件（Message-ID：{message_id(delivery)}）：收到了请登记为已发布；没有收到请重试。"
        )

    # -- the message

    def message(self, context: Context) -> EmailMessage:
        delivery, options, payload = context.delivery, context.options, context.payload
        message = EmailMessage()
        message["Subject"] = " ".join((payload.get("title") or "（无标题）").split())
        message["From"] = sender(options, context.credentials)
        message["To"] = ", ".join(recipients(options))
        message["Date"] = email.utils.formatdate(localtime=True)
        message["Message-ID"] = message_id(delivery)
        message["X-Rongmei-Idempotency-Key"] = str(delivery.idempotency_key)
        text, markup = text_of(payload.get("body") or "")
        message.set_content(text + "\n")
        if markup:
            message.add_alternative(markup, subtype="html")
        if context.channel.kind == "partner":
            limit = float(options.get("attachment_limit_mb") or self.attachment_limit_mb)
            with partner_package(delivery) as (fileobj, size):
                if size > limit * MB:
                    raise Permanent(
                        f"素材包有 {size / MB:.1f} MB，超过邮件附件上限 {limit:g} MB，无法通过邮件发送："
                        "请改用 SFTP 渠道发送素材包。",
                        code="too-large",
                    )
                message.add_attachment(
                    fileobj.read(), maintype="application", subtype="zip", filename=package_name(delivery)
                )
        return message

    # -- SMTP

    def _open(self, options: dict, credentials: dict) -> smtplib.SMTP:
        """Connected, greeted, encrypted where asked, logged in; or our error."""
        host, use_ssl, starttls = options.get("host", ""), bool(options.get("ssl")), bool(options.get("starttls"))
        port = int(options.get("port") or (465 if use_ssl else 587 if starttls else 25))
        helo = options.get("helo") or sender(options, credentials).rpartition("@")[2] or "localhost"
        timeout = self.timeout[1]
        try:
            if use_ssl:
                smtp = smtplib.SMTP_SSL(
                    host, port, local_hostname=helo, timeout=timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(host, port, local_hostname=helo, timeout=timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise self._failure(exc, "connect", options, credentials) from None
        try:
            smtp.ehlo()
            if starttls and not use_ssl:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if credentials.get("username"):
                smtp.login(credentials["username"], credentials.get("password", ""))
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp)
            raise self._failure(exc, "login", options, credentials) from None
        return smtp

    def _send(self, context: Context, message: EmailMessage) -> dict:
        options, credentials = context.options, context.credentials
        data = message.as_bytes(policy=email.policy.SMTP)
        smtp = self._open(options, credentials)
        phase = "envelope"
        try:
            code, reply = smtp.mail(sender(options, credentials))
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender(options, credentials))
            refused = {}
            for address in recipients(options):
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    refused[address] = (code, reply)
            if refused:  # all or none: a partial send could not be retried without repeats
                raise smtplib.SMTPRecipientsRefused(refused)
            phase = "data"
            code, reply = smtp.data(data)
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp)
            raise self._failure(exc, phase, options, credentials) from None
        _close(smtp)
        return {"message_id": message["Message-ID"], "reply": f"{code} {_said(reply, credentials)}".strip()}

    def _failure(self, exc: Exception, phase: str, options: dict, credentials: dict) -> DeliveryError:
        """An SMTP failure as our error, in plain Chinese with the server's own words (never the password)."""
        where = f"{options.get('host', '')}:{options.get('port', '')}".rstrip(":")
        if isinstance(exc, smtplib.SMTPAuthenticationError) and exc.smtp_code >= 500:
            return Permanent(
                f"邮件服务器拒绝了登录（{exc.smtp_code}）：此渠道邮箱账号的密码错误或已失效，"
                f"请在渠道设置中更新密码。服务器说明：{_said(exc.smtp_error, credentials)}",
                code=f"smtp-{exc.smtp_code}",
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return Permanent(
                f"邮件服务器不支持此渠道所需的功能（{exc}），请检查端口和加密设置。", code="smtp-unsupported"
            )
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            address, (code, reply) = max(exc.recipients.items(), key=lambda item: item[1][0])
            return _by_code(code, f"邮件服务器拒绝了收件人 {address}", _said(reply, credentials))
        if isinstance(exc, smtplib.SMTPResponseException):
            return _by_code(exc.smtp_code, "邮件服务器拒绝了邮件", _said(exc.smtp_error, credentials))
        if isinstance(exc, ssl.SSLCertVerificationError):
            return Permanent(f"邮件服务器 {where} 的证书校验失败：{exc.verify_message}。", code="smtp-tls")
        if phase == "data":
            return Uncertain(
                "邮件服务器在收到邮件内容后断开了连接或没有应答，无法确认邮件是否已被接收。", code="smtp-dropped"
            )
        return Temporary(f"无法连接邮件服务器 {where}（{type(exc).__name__}），稍后重试。", code="connect")

    def test_connection(self, channel, http) -> str:
        """Connect, greet, log in, NOOP."""
        options, credentials = channel.options or {}, channel.credentials
        if not options.get("host"):
            raise Permanent("此渠道没有设置邮件服务器（host）。", code="config")
        smtp = self._open(options, credentials)
        try:
            code, reply = smtp.noop()
        except (smtplib.SMTPException, OSError) as exc:
            raise self._failure(exc, "noop", options, credentials) from None
        finally:
            _close(smtp)
        if code != 250:
            raise _by_code(code, "邮件服务器没有正常应答", _said(reply, credentials))
        logged_in = "并登录成功" if credentials.get("username") else ""
        return f"已连接邮件服务器 {options['host']}{logged_in}。"


def _said(reply, credentials: dict) -> str:
    """The server's words, short, with the password blanked should it ever echo it."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply or "")
    password = credentials.get("password") or ""
    if password:
        text = text.replace(password, "***")
    return " ".join(text.split())[:TEXT_MAX]


def _by_code(code: int, what: str, said: str) -> DeliveryError:
    if 400 <= code < 500:
        return Temporary(f"{what}（{code}），服务器暂时不能处理，稍后重试。服务器说明：{said}", code=f"smtp-{code}")
    meaning = MEANINGS.get(code, "请求被拒绝")
    return Permanent(f"{what}（{code}）：{meaning}。服务器说明：{said}", code=f"smtp-{code}")


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


ADAPTER = EmailAdapter()
