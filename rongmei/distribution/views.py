"""The operations view (运营): the board of deliveries by story and by
channel with each channel's health, a delivery's page with its history and
the operator's actions (retry, cancel, record a manual publication), the
channel account's credentials (write-only) with "test connection", and
the dashboard's alert. Every action is a POST to a function of
:mod:`rongmei.distribution.actions`; permissions are checked here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rongmei.core import secrets
from rongmei.distribution import actions, health
from rongmei.distribution.channels import adapter_code
from rongmei.distribution.models import ACTIVE_STATES, Channel, Delivery, DeliveryState
from rongmei.distribution.panels import STATE_CLASSES

VIEW = "distribution.view_delivery"
OPERATE = "distribution.operate_delivery"
PER_PAGE = 50

# The secrets each adapter's account needs (what the credentials form asks for).
CREDENTIAL_FIELDS = {
    "wechat": [("appid", "AppID"), ("secret", "AppSecret"), ("token", gettext_lazy("Callback token"))],
    "weibo": [("access_token", "access_token")],
    "douyin": [("client_key", "client_key"), ("client_secret", "client_secret"), ("open_id", "open_id"),
               ("access_token", "access_token"), ("refresh_token", "refresh_token")],
    "kuaishou": [("app_id", "app_id"), ("app_secret", "app_secret"), ("open_id", "open_id"),
                 ("access_token", "access_token")],
    "webhook": [("secret", gettext_lazy("Signing secret"))],
    "email": [("username", gettext_lazy("SMTP user name")), ("password", gettext_lazy("SMTP password"))],
    "sftp": [("username", gettext_lazy("SFTP user name")), ("password", gettext_lazy("SFTP password")),
             ("private_key", gettext_lazy("Private key (PEM)"))],
}  # fmt: skip


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def board(request):
    """Deliveries, newest first, filtered by state, channel or story title;
    grouped by story or by channel; each channel's health on top."""
    _require(request, VIEW)
    rows = Delivery.objects.select_related("channel", "story")
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    q = request.GET.get("q", "").strip()
    story = request.GET.get("story", "")
    group = "channel" if request.GET.get("group") == "channel" else "story"
    if state in DeliveryState.values:
        rows = rows.filter(state=state)
    elif state == "open":
        rows = rows.filter(Q(state__in=ACTIVE_STATES) | Q(state=DeliveryState.NEEDS_MANUAL_CHECK))
    if channel.isdigit():
        rows = rows.filter(channel_id=int(channel))
    if story.isdigit():
        rows = rows.filter(story_id=int(story))
    if q:
        rows = rows.filter(Q(story__title__icontains=q) | Q(payload__title__icontains=q))
    order = (
        ("channel__sort_order", "channel__name", "-created_at")
        if group == "channel"
        else ("-story_id", "channel__sort_order")
    )
    page = Paginator(rows.order_by(*order, "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    groups, current = [], None
    for delivery in page:
        key = delivery.channel if group == "channel" else delivery.story
        if current is None or current["key"] != key:
            current = {"key": key, "rows": []}
            groups.append(current)
        current["rows"].append(delivery)
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "distribution/board.html",
        {
            "page_title": _("Publish queue"),
            "header_icon": "globe",
            "lines": health.lines(),
            "groups": groups,
            "group": group,
            "page": page,
            "states": DeliveryState.choices,
            "state": state,
            "channel": channel,
            "channels": Channel.objects.filter(is_active=True),
            "q": q,
            "query": query.urlencode(),
            "state_classes": STATE_CLASSES,
            "can_operate": request.user.has_perm(OPERATE),
            "can_change_channels": request.user.has_perm("distribution.change_channel"),
        },
    )


class ManualForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Published at (address)"), assume_scheme="https")
    published_at = forms.DateTimeField(
        label=gettext_lazy("Published on"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


def delivery_view(request, pk: int):
    _require(request, VIEW)
    delivery = get_object_or_404(Delivery.objects.select_related("channel", "story"), pk=pk)
    return TemplateResponse(
        request,
        "distribution/delivery.html",
        {
            "page_title": _("Delivery"),
            "page_subtitle": f"{delivery.channel} · {delivery.payload.get('title', '')}",
            "header_icon": "globe",
            "delivery": delivery,
            "events": delivery.events.all(),
            "manual_form": ManualForm(),
            "can_operate": request.user.has_perm(OPERATE),
            "state_classes": STATE_CLASSES,
            "adapter": adapter_code(delivery.channel),
            "export_url": reverse("distribution_manual:export_package", args=[delivery.pk])
            if adapter_code(delivery.channel) == "manual"
            else "",
        },
    )


@require_POST
def act_view(request, pk: int, action: str):
    _require(request, OPERATE)
    delivery = get_object_or_404(Delivery, pk=pk)
    back = reverse("distribution:delivery", args=[pk])
    try:
        if action == "retry":
            actions.retry(delivery, user=request.user)
            messages.success(request, _("The delivery will be tried again."))
        elif action == "cancel":
            actions.cancel(delivery, user=request.user)
            messages.success(request, _("The delivery was canceled."))
        elif action == "manual":
            form = ManualForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the address where it was published (http:// or https://)."))
                return redirect(back)
            actions.mark_published_manually(
                delivery, user=request.user, url=form.cleaned_data["url"],
                published_at=form.cleaned_data["published_at"],
            )  # fmt: skip
            messages.success(request, _("The manual publication was recorded."))
        else:
            raise PermissionDenied
    except actions.DeliveryRefused as refused:
        messages.error(request, refused.message)
    return redirect(back)


class AccountForm(forms.Form):
    """The channel's secrets: fields are never filled in with what is
    stored; a blank field keeps the stored value."""

    def __init__(self, *args, fields=(), stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        stored = stored or {}
        for name, label in fields:
            widget = forms.Textarea(attrs={"rows": 4}) if name == "private_key" else forms.PasswordInput()
            help_text = (
                _("Stored: %(mask)s. Leave blank to keep it.") % {"mask": secrets.mask(stored[name])}
                if stored.get(name)
                else ""
            )
            self.fields[name] = forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


def account_view(request, pk: int):
    """The account of a channel: enter or replace its secrets, test the connection."""
    _require(request, "distribution.change_channel")
    channel = get_object_or_404(Channel, pk=pk)
    code = adapter_code(channel)
    fields = CREDENTIAL_FIELDS.get(code, [])
    try:
        stored = channel.credentials
    except secrets.SecretError:
        stored = {}
        messages.error(request, _("The stored credentials cannot be read with this key; enter them again."))
    form = AccountForm(request.POST or None, fields=fields, stored=stored)
    if request.method == "POST":
        if request.POST.get("test"):
            ok, message = actions.test_connection(channel, user=request.user)
            (messages.success if ok else messages.error)(request, message)
            return redirect(request.path)
        if form.is_valid():
            values = {k: v.strip() for k, v in form.cleaned_data.items() if v and v.strip()}
            if values:
                actions.set_credentials(channel, values, user=request.user)
                messages.success(request, _("The account's credentials were saved (encrypted)."))
            return redirect(request.path)
    return TemplateResponse(
        request,
        "distribution/account.html",
        {
            "page_title": _("Channel account"),
            "page_subtitle": str(channel),
            "header_icon": "key",
            "channel": channel,
            "form": form,
            "adapter": code,
            "has_fields": bool(fields),
        },
    )
