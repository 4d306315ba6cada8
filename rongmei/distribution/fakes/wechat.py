"""A fake WeChat official account API (公众号), after the contract in
``../shared/docs/channels.md``: stable_token, body images, permanent
material, drafts, free publishing and its polling, the published list,
mass sending, comments and analytics, with WeChat's ``errcode`` answers
(always HTTP 200, as WeChat does).

Bad days, besides :class:`~rongmei.distribution.fakes.base.BadDay`
(``fake.bad.rate_limited_for`` answers ``rate_limit_errcode``, 45011 by
default, or 45009 for the daily quota):

- ``expire_tokens_after``: after this many more API calls, every token
  issued so far answers 42001 (expired) until a new one is fetched;
- ``publish_outcome``: the ``publish_status`` of each poll of a publish
  job, the last one repeated (``[1, 1, 0]``: published at the third poll;
  ``[1, 3]``: accepted, then failed); ``[0]`` (the default) is published
  at once;
- ``never_finishes``: every job stays at 1 (publishing);
- ``answer_late``: path → seconds: the call is done, then the answer
  comes that much later (a client timeout after the platform acted);
- ``submit_errcode``: the next ``freepublish/submit`` answers this code
  (53503/53504/53505…) without publishing;
- ``ip_whitelist``: when set, callers from other addresses get 40164.

``published`` has one entry per article that became published; the
tests count it to prove a story went out exactly once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
import threading
import time
import zoneinfo

from rongmei.distribution.fakes.base import BadDay, Call, FakePlatform

APPID = "wx5f3a9c0d2e1b4a67"
SECRET = "3b9f0c7e2a1d4f6b8c0e2a4d6f8b0c1e"  # a fake's account, not a secret
TOKEN_SECONDS = 7200
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")  # WeChat's days
IMAGE_TYPES = {".jpg", ".jpeg", ".png"}
MATERIAL_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".bmp"}
TOKEN_FREE_PATHS = {"/cgi-bin/stable_token", "/cgi-bin/token"}

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40005: "invalid file type",
    40007: "invalid media_id",
    40009: "invalid image size",
    40013: "invalid appid",
    40097: "invalid args",
    40125: "invalid appsecret",
    41001: "access_token missing",
    42001: "access_token expired",
    44003: "empty news data",
    44004: "empty content",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45008: "article size out of limit",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45065: "clientmsgid exist",
    45110: "author size out of limit",
    47001: "data format error",
    61500: "date format error",
    61501: "date range error",
    88000: "without comment privilege",
}


def error(code: int, extra: str = "") -> tuple[int, dict]:
    message = ERRMSG.get(code, "error") + (f" {extra}" if extra else "")
    return 200, {"errcode": code, "errmsg": f"{message} rid: {secrets.token_hex(4)}"}


def ok(**values) -> tuple[int, dict]:
    return 200, {"errcode": 0, "errmsg": "ok", **values}


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)


class FakeWeChat(FakePlatform):
    def __init__(self, *, appid: str = APPID, secret: str = SECRET):
        self._account = (appid, secret)
        self._ids = itertools.count(2247483647)
        self._counter_lock = threading.Lock()
        super().__init__()
        self.reset()

    def reset(self) -> None:
        """Forget everything and end every bad day: a fresh account (one
        server can then serve many tests)."""
        self.appid, self.secret = self._account
        self.calls, self.published = [], []
        self.bad = BadDay()
        self.tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self.current_token = ""
        self.images: set[str] = set()  # URLs of body images uploaded
        self.materials: dict[str, dict] = {}  # media_id -> material
        self.drafts: dict[str, list[dict]] = {}  # media_id -> articles as stored (external images stripped)
        self.jobs: dict[str, dict] = {}  # publish_id -> job
        self.mass_sent: list[dict] = []
        self.comments: dict[str, list[dict]] = {}  # msg_data_id -> comments
        self.comment_replies: list[dict] = []  # comment/reply/add calls accepted
        self.reply_errcode: int | None = None  # comment/reply/add refused with this code
        self.comments_loop = False  # comment/list answers the first page for every begin, total ever larger
        self.stats: dict[str, list[dict]] = {}  # "YYYY-MM-DD" -> getarticlesummary items
        self.image_max_bytes = 1024 * 1024
        self.thumb_max_bytes = 64 * 1024
        self.material_max_bytes = 10 * 1024 * 1024
        self.expire_tokens_after: int | None = None
        self.publish_outcome: list[int] = [0]
        self.never_finishes = False
        self.answer_late: dict[str, float] = {}
        self.submit_errcode: int | None = None
        self.rate_limit_errcode = 45011
        self.ip_whitelist: set[str] | None = None

    # -- plumbing

    def setup(self) -> None:
        routes = {
            ("POST", "/cgi-bin/stable_token"): self.stable_token,
            ("GET", "/cgi-bin/token"): self.token,
            ("POST", "/cgi-bin/media/uploadimg"): self.uploadimg,
            ("POST", "/cgi-bin/material/add_material"): self.add_material,
            ("POST", "/cgi-bin/draft/add"): self.draft_add,
            ("POST", "/cgi-bin/freepublish/submit"): self.submit,
            ("POST", "/cgi-bin/freepublish/get"): self.publish_get,
            ("POST", "/cgi-bin/freepublish/batchget"): self.batchget,
            ("POST", "/cgi-bin/message/mass/sendall"): self.sendall,
            ("POST", "/cgi-bin/comment/list"): self.comment_list,
            ("POST", "/cgi-bin/comment/reply/add"): self.comment_reply,
            ("POST", "/datacube/getarticlesummary"): self.article_summary,
        }
        for (method, path), handler in routes.items():
            self.route(method, path, handler)

    def next_id(self) -> str:
        with self._counter_lock:
            return str(next(self._ids))

    def rate_limit_answer(self, seconds_left: float):
        return error(self.rate_limit_errcode)

    def dispatch(self, call: Call):
        if self.ip_whitelist is not None and "127.0.0.1" not in self.ip_whitelist:
            return error(40164, "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist")
        if call.path not in TOKEN_FREE_PATHS:
            refused = self.check_token(call)
            if refused is not None:
                return refused
        answer = super().dispatch(call)
        late = self.answer_late.get(call.path)
        if late:
            time.sleep(late)
        return answer

    def check_token(self, call: Call):
        token = call.query.get("access_token", "")
        if not token:
            return error(41001)
        with self.lock:
            if self.expire_tokens_after is not None:
                self.expire_tokens_after -= 1
                if self.expire_tokens_after < 0:
                    self.expire_tokens_after = None
                    for issued in self.tokens:
                        self.tokens[issued] = 0.0
            expiry = self.tokens.get(token)
        if expiry is None:
            return error(40001)
        if expiry <= time.time():
            return error(42001)
        return None

    def issue_token(self, *, invalidate_others: bool) -> tuple[str, int]:
        with self.lock:
            now = time.time()
            current = self.tokens.get(self.current_token, 0.0)
            if not invalidate_others and current > now:
                return self.current_token, int(current - now)
            if invalidate_others:
                self.tokens = {t: 0.0 for t in self.tokens}
            token = secrets.token_urlsafe(48)
            self.tokens[token] = now + TOKEN_SECONDS
            self.current_token = token
            return token, TOKEN_SECONDS

    def token_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/cgi-bin/stable_token"]

    # -- tokens

    def _check_account(self, appid, secret):
        if appid != self.appid:
            return error(40013)
        if secret != self.secret:
            return error(40125)
        return None

    def stable_token(self, call: Call):
        body = call.json()
        if body.get("grant_type") != "client_credential":
            return error(40097, "grant_type must be client_credential")
        refused = self._check_account(body.get("appid"), body.get("secret"))
        if refused:
            return refused
        # force_refresh makes a new token and ends the old one; otherwise the
        # token still valid is answered again (stable across callers).
        token, seconds = self.issue_token(invalidate_others=bool(body.get("force_refresh")))
        return 200, {"access_token": token, "expires_in": seconds}

    def token(self, call: Call):
        refused = self._check_account(call.query.get("appid"), call.query.get("secret"))
        if refused:
            return refused
        token, seconds = self.issue_token(invalidate_others=True)  # each call ends the previous token
        return 200, {"access_token": token, "expires_in": seconds}

    # -- material

    @staticmethod
    def _extension(filename: str) -> str:
        return ("." + filename.rsplit(".", 1)[-1].lower()) if "." in (filename or "") else ""

    def uploadimg(self, call: Call):
        if "media" not in call.files:
            return error(40097, "media missing")
        filename, data, _ctype = call.files["media"]
        if self._extension(filename) not in IMAGE_TYPES:
            return error(40005)
        if not data or len(data) >= self.image_max_bytes:
            return error(40009)
        url = f"http://mmbiz.qpic.cn/mmbiz_jpg/{secrets.token_urlsafe(16)}/0"
        with self.lock:
            self.images.add(url)
        return 200, {"url": url}

    def add_material(self, call: Call):
        kind = call.query.get("type", "")
        if kind not in ("image", "thumb", "voice", "video"):
            return error(40097, "invalid type")
        if "media" not in call.files:
            return error(40097, "media missing")
        filename, data, _ctype = call.files["media"]
        extension = self._extension(filename)
        if kind == "thumb":
            if extension not in (".jpg", ".jpeg"):
                return error(40005)
            if len(data) > self.thumb_max_bytes:
                return error(40009)
        elif kind == "image":
            if extension not in MATERIAL_TYPES:
                return error(40005)
            if not data or len(data) > self.material_max_bytes:
                return error(40009)
        media_id = secrets.token_urlsafe(32)
        url = f"http://mmbiz.qpic.cn/mmbiz_jpg/{secrets.token_urlsafe(16)}/0?wx_fmt=jpeg"
        with self.lock:
            self.materials[media_id] = {"type": kind, "size": len(data), "url": url}
        return 200, {"media_id": media_id, "url": url}

    # -- drafts

    def _clean(self, content: str) -> str:
        """What WeChat keeps: no scripts, and no images from outside WeChat."""
        content = _SCRIPT.sub("", content)

        def image(match):
            src = _SRC.search(match.group(0))
            return match.group(0) if src and src.group(1) in self.images else ""

        return _IMG.sub(image, content)

    def draft_add(self, call: Call):
        articles = call.json().get("articles")
        if not isinstance(articles, list) or not articles:
            return error(44003)
        if len(articles) > 8:
            return error(45008)
        stored = []
        for article in articles:
            if not isinstance(article, dict):
                return error(47001)
            kind = article.get("article_type", "news")
            title = str(article.get("title") or "")
            content = str(article.get("content") or "")
            if not title.strip():
                return error(44003, "title empty")
            if len(title) > 32:
                return error(45003)
            if len(str(article.get("author") or "")) > 16:
                return error(45110)
            if len(articles) == 1 and len(str(article.get("digest") or "")) > 128:
                return error(45004)
            if not content.strip():
                return error(44004)
            if len(content) >= 20_000 or len(content.encode()) >= 1024 * 1024:
                return error(45002)
            thumb = article.get("thumb_media_id")
            if kind == "news" and (not thumb or thumb not in self.materials):
                return error(40007, "thumb_media_id")
            for crop in ("pic_crop_235_1", "pic_crop_1_1"):
                value = article.get(crop)
                if value and not re.fullmatch(r"(0(\.\d+)?|1(\.0+)?)(_(0(\.\d+)?|1(\.0+)?)){3}", value):
                    return error(40097, crop)
            stored.append({**article, "content": self._clean(content), "author": article.get("author", "")})
        media_id = secrets.token_urlsafe(32)
        with self.lock:
            self.drafts[media_id] = stored
        return 200, {"media_id": media_id}

    # -- publishing

    def submit(self, call: Call):
        media_id = call.json().get("media_id")
        with self.lock:
            if self.submit_errcode is not None:
                code, self.submit_errcode = self.submit_errcode, None
                return error(code)
            if media_id not in self.drafts:
                return error(40007)
        publish_id = self.next_id()
        outcome = list(self.publish_outcome or [0])
        status = 1 if self.never_finishes else outcome[0]
        job = {"publish_id": publish_id, "media_id": media_id, "outcome": outcome, "polls": 0, "status": status}
        with self.lock:
            self.jobs[publish_id] = job
            if job["status"] == 0:
                self._publish(job)
        return ok(publish_id=publish_id)

    def _publish(self, job: dict) -> None:
        """The job's articles go live (called with the lock held)."""
        article_id = secrets.token_urlsafe(24)
        job["article_id"] = article_id
        job["published_at"] = int(time.time())
        job["urls"] = [f"http://mp.weixin.qq.com/s/{secrets.token_urlsafe(16)}" for _ in self.drafts[job["media_id"]]]
        self.published.append(
            {
                "publish_id": job["publish_id"],
                "article_id": article_id,
                "media_id": job["media_id"],
                "title": self.drafts[job["media_id"]][0]["title"],
                "url": job["urls"][0],
                "at": job["published_at"],
            }
        )

    def publish_get(self, call: Call):
        publish_id = str(call.json().get("publish_id", ""))
        with self.lock:
            job = self.jobs.get(publish_id)
            if job is None:
                return error(40097, "invalid publish_id")
            if self.never_finishes:
                job["status"] = 1
            else:
                outcome = job["outcome"]
                job["status"] = outcome[min(job["polls"], len(outcome) - 1)]
                job["polls"] += 1
            if job["status"] == 0 and "article_id" not in job:
                self._publish(job)
            answer = {"publish_id": publish_id, "publish_status": job["status"]}
            if job["status"] == 0:
                answer["article_id"] = job["article_id"]
                answer["article_detail"] = {
                    "count": len(job["urls"]),
                    "item": [{"idx": i + 1, "article_url": url} for i, url in enumerate(job["urls"])],
                }
            if job["status"] in (2, 4):
                answer["fail_idx"] = [1]
        return 200, answer

    def batchget(self, call: Call):
        body = call.json()
        offset, count = int(body.get("offset", 0)), int(body.get("count", 0))
        if not 1 <= count <= 20 or offset < 0:
            return error(40097, "count must be 1..20")
        with self.lock:
            live = [j for j in self.jobs.values() if "article_id" in j]
            live.sort(key=lambda j: (j["published_at"], int(j["publish_id"])), reverse=True)
            items = []
            for job in live[offset : offset + count]:
                news = []
                for article, url in zip(self.drafts[job["media_id"]], job["urls"], strict=True):
                    item = {k: v for k, v in article.items() if k != "content" or not body.get("no_content")}
                    news.append({**item, "url": url, "is_deleted": False})
                items.append(
                    {
                        "article_id": job["article_id"],
                        "content": {
                            "news_item": news,
                            "create_time": job["published_at"],
                            "update_time": job["published_at"],
                        },
                        "update_time": job["published_at"],
                    }
                )
        return 200, {"total_count": len(live), "item_count": len(items), "item": items}

    # -- mass sending, comments, analytics

    def sendall(self, call: Call):
        body = call.json()
        if body.get("msgtype") != "mpnews":
            return error(40097, "msgtype")
        media_id = (body.get("mpnews") or {}).get("media_id")
        client_id = str(body.get("clientmsgid") or "")
        if len(client_id) > 64:
            return error(40097, "clientmsgid too long")
        with self.lock:
            if media_id not in self.drafts:
                return error(40007)
            for sent in self.mass_sent:
                if client_id and sent["clientmsgid"] == client_id:
                    code, answer = error(45065)
                    return code, {**answer, "msg_id": sent["msg_id"]}
            sent = {"clientmsgid": client_id, "media_id": media_id, "msg_id": self.next_id()}
            sent["msg_data_id"] = self.next_id()
            self.mass_sent.append(sent)
        return 200, {
            "errcode": 0,
            "errmsg": "send job submission success",
            "msg_id": int(sent["msg_id"]),
            "msg_data_id": int(sent["msg_data_id"]),
        }

    def comment_list(self, call: Call):
        body = call.json()
        count = int(body.get("count", 0))
        begin = int(body.get("begin", 0))
        if not 1 <= count < 50 or begin < 0:
            return error(40097, "count must be under 50")
        with self.lock:
            found = self.comments.get(str(body.get("msg_data_id", "")))
            if found is None:
                return error(88000)
            if self.comments_loop:
                return ok(total=begin + 2 * count, comment=found[:count])
            page = found[begin : begin + count]
        return ok(total=len(found), comment=page)

    def comment_reply(self, call: Call):
        body = call.json()
        content = str(body.get("content") or "")
        if not content:
            return error(44004)
        if self.reply_errcode:
            return error(self.reply_errcode)
        with self.lock:
            found = self.comments.get(str(body.get("msg_data_id", "")))
            if found is None:
                return error(88000)
            target = next((c for c in found if str(c.get("user_comment_id")) == str(body.get("user_comment_id"))), None)
            if target is None:
                return error(88008, "comment not exists")
            target["reply"] = {"content": content, "create_time": int(time.time())}
            self.comment_replies.append(body)
        return ok()

    def article_summary(self, call: Call):
        body = call.json()
        try:
            begin = dt.date.fromisoformat(body.get("begin_date", ""))
            end = dt.date.fromisoformat(body.get("end_date", ""))
        except (TypeError, ValueError):
            return error(61500)
        if begin != end or end >= dt.datetime.now(BEIJING).date():
            return error(61501)  # one day at a time, yesterday at most
        return 200, {"list": list(self.stats.get(begin.isoformat(), []))}
