"""The public pages of 政民互动: the message form (no login), the receipt
with the tracking number, and the lookup of a message's status and
published reply — in Chinese under /hudong/ and in English under
/en/interaction/. They are drawn in the website's layout, in the page's
language, and never cached (each holds a CSRF token or a tracking number).

What a citizen wrote is stored as written and always shown escaped (the
templates never mark it safe); their name, phone and email are never
shown on these pages."""

from __future__ import annotations

import math
import time

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rongmei.interaction import actions, challenge, ratelimit
from rongmei.interaction.challenge import Outcome
from rongmei.interaction.forms import HONEYPOT, MessageForm
from rongmei.interaction.models import CONTENT_LIMIT, Message, UsedChallenge
from rongmei.interaction.texts import texts_for
from rongmei.interaction.tracking import normalise
from rongmei.website.models import ColumnPage, WebsiteHomePage

CHECK_ERRORS = {
    Outcome.WRONG: "check_wrong",
    Outcome.EXPIRED: "check_expired",
    Outcome.REUSED: "check_reused",
    Outcome.INVALID: "check_invalid",
}
URL_NAMES = {
    "zh-hans": {"submit": "interaction:submit", "lookup": "interaction:lookup"},
    "en": {"submit": "interaction:submit_en", "lookup": "interaction:lookup_en"},
}
TWIN_WAIT_SECONDS = 3  # how long a second click waits for the first one's message


def _home(language: str) -> WebsiteHomePage:
    home = WebsiteHomePage.objects.live().filter(language=language).first()
    if home is None:
        raise Http404
    return home


def _language_links(request, home: WebsiteHomePage, view: str) -> list[dict]:
    """The language switch: this same page (form or lookup) in the other languages."""
    query = f"?{request.GET.urlencode()}" if view == "lookup" and request.GET else ""
    return [
        {"url": reverse(URL_NAMES[other.language][view]) + query, "lang": other.html_lang,
         "name": other.labels["language_name"]}
        for other in home.other_languages()
        if other.language in URL_NAMES
    ]  # fmt: skip


def _render(
    request, template: str, context: dict, *, home: WebsiteHomePage, view: str = "submit", status: int = 200
) -> TemplateResponse:
    """A page in the website's layout. ``page`` (what base.html draws the
    header from) is the language's 互动交流 column, so the menu marks it,
    or the home page when there is none."""
    language = home.language
    column = ColumnPage.objects.live().child_of(home).filter(kind="interaction").order_by("path").first()
    urls = {key: reverse(name) for key, name in URL_NAMES[language].items()}
    context = {
        **context,
        "page": column or home,
        "texts": texts_for(language),
        "language": language,
        "urls": urls,
        "language_links": _language_links(request, home, view),
    }
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _wait_text(texts: dict, key: str, free_at) -> tuple[str, int]:
    """The sentence telling when to try again, and the seconds until then."""
    now = timezone.now()
    seconds = max(1, math.ceil((free_at - now).total_seconds()))
    minutes = max(1, math.ceil(seconds / 60))
    after = (
        texts["after_minutes"] % {"n": minutes}
        if minutes < 60
        else texts["after_hours"] % {"n": math.ceil(minutes / 60)}
    )
    local = timezone.localtime(free_at)
    when = f"{local:%H:%M}"
    if local.date() != timezone.localdate(now):
        when = texts["other_day"].format(month=local.month, day=local.day, date=f"{local:%Y-%m-%d}", time=when)
    return texts[key] % {"time": when, "after": after}, seconds


def _twin(used: UsedChallenge | None, form: MessageForm) -> Message | None:
    """The message stored by an earlier submission of this very form with
    the same content (a second click on "submit"), if any."""
    if used is None or not used.accepted:
        return None
    deadline = time.monotonic() + TWIN_WAIT_SECONDS
    while used.message_id is None and time.monotonic() < deadline:
        time.sleep(0.2)  # the first click is still being stored
        used.refresh_from_db()
    message = used.message if used.message_id else None
    if message and message.content == form.cleaned_data["content"]:
        return message
    return None


def _receipt(request, message: Message, home: WebsiteHomePage):
    return _render(request, "interaction/received.html", {"message": message}, home=home)


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, language: str):
    texts = texts_for(language)
    home = _home(language)
    error, status, headers = "", 200, {}
    if request.method == "POST":
        form = MessageForm(request.POST, language=language)
        if form.is_trap_filled:
            error, status = texts["refused"], 400
        elif not form.is_valid():
            error, status = texts["form_errors"], 400
        else:
            verdict = challenge.verify(request.POST.get("token", ""), request.POST.get("answer", ""))
            if verdict.outcome is Outcome.REUSED and (twin := _twin(verdict.used, form)):
                return _receipt(request, twin, home)
            if verdict.outcome is not Outcome.OK:
                error, status = texts[CHECK_ERRORS[verdict.outcome]], 400
            elif free_at := ratelimit.take(ratelimit.SUBMIT, ratelimit.client_key(request)):
                error, seconds = _wait_text(texts, "too_many", free_at)
                status, headers = 429, {"Retry-After": str(seconds)}
            else:
                data = form.cleaned_data
                message = actions.receive(
                    language=language,
                    category=data["category"],
                    content=data["content"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                )
                UsedChallenge.objects.filter(pk=verdict.used.pk).update(message=message)
                return _receipt(request, message, home)
    else:
        form = MessageForm(language=language)
    check = challenge.new()
    context = {
        "form": form,
        "challenge": check,
        "question": check.question(texts),
        "error": error,
        "honeypot": HONEYPOT,
        "limit": CONTENT_LIMIT,
        "content_help": texts["content_help"] % {"limit": CONTENT_LIMIT},
    }
    response = _render(request, "interaction/submit.html", context, home=home, status=status)
    for header, value in headers.items():
        response[header] = value
    return response


@require_GET
def lookup(request, language: str):
    """A message by its tracking number (``?no=``): status, and the reply once published."""
    texts = texts_for(language)
    home = _home(language)
    typed = request.GET.get("no", "").strip()[:64]
    context = {"typed": typed, "message": None, "error": ""}
    if not typed:
        return _render(request, "interaction/lookup.html", context, home=home, view="lookup")
    if free_at := ratelimit.take(ratelimit.LOOKUP, ratelimit.client_key(request)):
        context["error"], seconds = _wait_text(texts, "too_many_lookups", free_at)
        response = _render(request, "interaction/lookup.html", context, home=home, view="lookup", status=429)
        response["Retry-After"] = str(seconds)
        return response
    number = normalise(typed)
    message = Message.objects.select_related("category").filter(tracking_number=number).first() if number else None
    if message is None:
        context["error"] = texts["not_found"] % {"number": typed}
        return _render(request, "interaction/lookup.html", context, home=home, view="lookup", status=404)
    context.update(
        message=message,
        category=message.category.label(language),
        status_text=texts[f"status_{message.status}"],
        typed=message.tracking_number,
    )
    return _render(request, "interaction/lookup.html", context, home=home, view="lookup")
