"""The admin of the inbox (多平台互动): the filtered list, an item's page
(classification, assignment, reply with templates, review, history), manual
entry, statistics with charts, clues, sources and the classifier's report.
Every view checks its permission on the server; every change goes through
:mod:`rongmei.interaction.actions`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from rongmei.core.models import AuditEntry
from rongmei.interaction import actions, intake, queries, stats
from rongmei.interaction.actions import MessageRefused
from rongmei.interaction.models import (
    MANUAL_SOURCES,
    ClassifierRun,
    Clue,
    Department,
    Grade,
    InboxCategory,
    Item,
    Reply,
    ReplyTemplate,
    Source,
    SourceState,
)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _handlers():
    User = get_user_model()
    return [
        user for user in User.objects.filter(is_active=True).order_by("username") if user.has_perm(actions.HANDLE_ITEMS)
    ]


def inbox(request):
    _require(request, actions.VIEW_ITEMS)
    filters = queries.InboxFilter.from_query(request.GET)
    page = queries.inbox_page(filters, cursor=request.GET.get("after", ""))
    query = request.GET.copy()
    query.pop("after", None)
    next_query = query.copy()
    next_query["after"] = page.next_cursor
    return TemplateResponse(
        request,
        "interaction/inbox/list.html",
        {
            "page_title": _("Inbox"),
            "header_icon": "mail",
            "page": page,
            "filters": filters,
            "sources": Source.choices,
            "categories": InboxCategory.objects.filter(is_active=True),
            "grades": Grade.choices,
            "statuses": [
                ("open", _("Waiting (new, assigned, in review)")),
                ("unresolved", _("Not resolved")),
                *Item.Status.choices,
            ],
            "departments": Department.objects.filter(is_active=True),
            "now": timezone.now(),
            "first_page_query": query.urlencode(),
            "next_query": next_query.urlencode() if page.next_cursor else "",
            "can_clue": request.user.has_perm(actions.MAKE_CLUES),
            "can_add": request.user.has_perm(actions.ADD_ITEMS),
        },
    )


def _history(item: Item) -> list[AuditEntry]:
    """The item's and its replies' audit entries, each with ``to_label``:
    the new status or grade in words (a category is stored by name)."""
    item_type = ContentType.objects.get_for_model(Item)
    reply_type = ContentType.objects.get_for_model(Reply)
    reply_ids = [str(pk) for pk in item.replies.values_list("pk", flat=True)]
    entries = list(
        AuditEntry.objects.filter(
            Q(content_type=item_type, object_id=str(item.pk)) | Q(content_type=reply_type, object_id__in=reply_ids)
        ).order_by("at", "pk")
    )
    words = {"interaction.item.status": dict(Item.Status.choices), "interaction.item.grade": dict(Grade.choices)}
    for entry in entries:
        to = (entry.data or {}).get("to")
        entry.to_label = words.get(entry.action, {}).get(to, to) if to else ""
    return entries


def item_view(request, pk: int):
    _require(request, actions.VIEW_ITEMS)
    item = get_object_or_404(
        Item.objects.select_related("category", "department", "assignee", "channel", "message"), pk=pk
    )
    if request.method == "POST":
        return _act(request, item)
    templates = ReplyTemplate.objects.filter(is_active=True).filter(Q(category=None) | Q(category=item.category_id))
    return TemplateResponse(
        request,
        "interaction/inbox/item.html",
        {
            "page_title": _("Inbox item"),
            "header_icon": "mail",
            "item": item,
            "replies": item.replies.select_related("written_by", "reviewed_by"),
            "history": _history(item),
            "categories": InboxCategory.objects.filter(is_active=True),
            "grades": Grade.choices,
            "departments": Department.objects.filter(is_active=True),
            "handlers": _handlers(),
            "templates": [(t, t.render(item)) for t in templates],
            "can_handle": request.user.has_perm(actions.HANDLE_ITEMS),
            "can_review": request.user.has_perm(actions.REVIEW_REPLIES),
            "can_clue": request.user.has_perm(actions.MAKE_CLUES),
            "now": timezone.now(),
        },
    )


def _act(request, item: Item):
    data, user = request.POST, request.user
    action = data.get("action", "")
    try:
        if action == "classify":
            category = get_object_or_404(InboxCategory, pk=data.get("category"))
            actions.correct_category(item, user=user, category=category)
            messages.success(request, _("The category was corrected."))
        elif action == "grade":
            actions.set_grade(item, user=user, grade=data.get("grade", ""), reason=data.get("reason", ""))
            messages.success(request, _("The grade was changed."))
        elif action == "assign":
            User = get_user_model()
            assignee = User.objects.filter(pk=data.get("assignee") or None).first() if data.get("assignee") else None
            department = (
                Department.objects.filter(pk=data.get("department")).first() if data.get("department") else None
            )
            actions.assign(item, user=user, assignee=assignee, department=department)
            messages.success(request, _("The item was assigned."))
        elif action == "reply":
            template = ReplyTemplate.objects.filter(pk=data.get("template")).first() if data.get("template") else None
            answer = actions.reply(
                item, user=user, text=data.get("text", ""), template=template, public=data.get("public") == "on"
            )
            _report(request, answer)
        elif action in ("approve", "reject"):
            answer = get_object_or_404(Reply, pk=data.get("reply"), item=item)
            if action == "approve":
                _report(request, actions.approve_reply(answer, user=user, note=data.get("note", "")))
            else:
                actions.reject_reply(answer, user=user, note=data.get("note", ""))
                messages.success(request, _("The reply was returned to its writer."))
        elif action == "resolve":
            actions.resolve(item, user=user, note=data.get("note", ""))
            messages.success(request, _("The item is resolved."))
        elif action == "close":
            actions.close(item, user=user, reason=data.get("reason", ""))
            messages.success(request, _("The item was closed without a reply."))
        elif action == "reopen":
            actions.reopen(item, user=user)
            messages.success(request, _("The item was reopened."))
        elif action == "clue":
            clue = actions.make_clue([item], user=user, title=data.get("title", ""), summary=item.content)
            messages.success(request, _("Clue “%(title)s” was created.") % {"title": clue.title})
        else:
            messages.error(request, _("Unknown action."))
    except MessageRefused as refused:
        messages.error(request, refused.message)
    return redirect("interaction_inbox:item", pk=item.pk)


def _report(request, answer: Reply) -> None:
    if answer.status == Reply.Status.PENDING_REVIEW:
        messages.warning(request, _("The reply awaits review by 主任 or 终审 before it is sent."))
    elif answer.status == Reply.Status.FAILED:
        messages.error(request, _("The reply was NOT sent: %(error)s") % {"error": answer.error})
    elif answer.status == Reply.Status.RECORDED:
        messages.success(request, _("The reply was recorded."))
    else:
        messages.success(request, _("The reply was sent."))


def add_item(request):
    _require(request, actions.ADD_ITEMS)
    values = {"source": Source.LETTER, "content": "", "author": "", "contact": "", "posted_at": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        posted_at = parse_datetime(values["posted_at"]) or (
            dt.datetime.combine(parse_date(values["posted_at"]), dt.time(9))
            if parse_date(values["posted_at"])
            else None
        )
        try:
            item = actions.add_manual(
                user=request.user,
                source=values["source"],
                content=values["content"],
                author=values["author"],
                contact=values["contact"],
                posted_at=posted_at,
            )
        except MessageRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The item was added to the inbox."))
            return redirect("interaction_inbox:item", pk=item.pk)
    return TemplateResponse(
        request,
        "interaction/inbox/add.html",
        {
            "page_title": _("Enter a letter or call"),
            "header_icon": "mail",
            "values": values,
            "sources": [(value, label) for value, label in Source.choices if value in MANUAL_SOURCES],
        },
    )


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = parse_date(request.GET.get("start", "") or "") or today.replace(day=1) - dt.timedelta(days=62)
    end = parse_date(request.GET.get("end", "") or "") or today
    if end < start:
        start, end = end, start
    return start, end


def stats_view(request):
    _require(request, actions.VIEW_ITEMS)
    start, end = _period(request)
    figures = stats.summary(start, end + dt.timedelta(days=1))
    charts = []
    for dimension, title in (
        ("category", _("By category")),
        ("grade", _("By grade")),
        ("source", _("By channel")),
        ("department", _("By department")),
    ):
        pairs = [
            (stats.label_of(dimension, key), count) for key, count in figures["volume"][dimension]["total"].items()
        ]
        charts.append(
            {
                "title": title,
                "svg": stats.safe_svg(stats.bar_chart(pairs, title=title)),
                "weeks": figures["volume"][dimension]["by_week"],
                "months": figures["volume"][dimension]["by_month"],
                "dimension": dimension,
            }
        )
    weekly = stats.safe_svg(
        stats.period_chart(
            figures["volume"]["grade"]["by_week"],
            title=_("Items per week"),
            dimension="grade",
        )
    )
    monthly = stats.safe_svg(
        stats.period_chart(
            figures["volume"]["grade"]["by_month"],
            title=_("Items per month"),
            dimension="grade",
        )
    )
    return TemplateResponse(
        request,
        "interaction/inbox/stats.html",
        {
            "page_title": _("Inbox statistics"),
            "header_icon": "table",
            "figures": figures,
            "charts": charts,
            "weekly": weekly,
            "monthly": monthly,
            "start": start,
            "end": end,
        },
    )


def clues(request):
    _require(request, "interaction.view_clue")
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("items") if pk.isdigit()]
        try:
            clue = actions.make_clue(
                Item.objects.filter(pk__in=ids),
                user=request.user,
                title=request.POST.get("title", ""),
                summary=request.POST.get("summary", ""),
            )
        except MessageRefused as refused:
            messages.error(request, refused.message)
            return redirect(request.POST.get("back") or "interaction_inbox:list")
        messages.success(request, _("Clue “%(title)s” was created.") % {"title": clue.title})
        return redirect("interaction_inbox:clues")
    return TemplateResponse(
        request,
        "interaction/inbox/clues.html",
        {
            "page_title": _("Clues for news planning"),
            "header_icon": "pick",
            "clues": Clue.objects.prefetch_related("items").select_related("created_by")[:200],
        },
    )


def sources(request):
    _require(request, actions.VIEW_ITEMS)
    if request.method == "POST":
        _require(request, "interaction.change_sourcestate")
        state = get_object_or_404(SourceState, pk=request.POST.get("state"))
        intake.reenable(state, user=request.user)
        messages.success(request, _("The source will be asked again at the next pull."))
        return redirect("interaction_inbox:sources")
    return TemplateResponse(
        request,
        "interaction/inbox/sources.html",
        {
            "page_title": _("Inbox sources"),
            "header_icon": "link",
            "states": SourceState.objects.order_by("key"),
            "can_change": request.user.has_perm("interaction.change_sourcestate"),
        },
    )


def classifier(request):
    _require(request, actions.VIEW_ITEMS)
    from rongmei.interaction import training

    if request.method == "POST":
        _require(request, "interaction.change_inboxcategory")
        run = training.train(force=True)
        if run is None:
            messages.error(request, _("Nothing to train on yet."))
        else:
            messages.success(request, run.note or _("Trained."))
        return redirect("interaction_inbox:classifier")
    return TemplateResponse(
        request,
        "interaction/inbox/classifier.html",
        {
            "page_title": _("Classifier accuracy"),
            "header_icon": "cogs",
            "runs": ClassifierRun.objects.all()[:20],
            "corrected": Item.objects.filter(category_by=Item.CategoryBy.PERSON).count(),
            "needed": training.min_corrections(),
            "can_train": request.user.has_perm("interaction.change_inboxcategory"),
        },
    )


def next_url(name: str, **kwargs) -> str:
    return reverse(f"interaction_inbox:{name}", kwargs=kwargs)
