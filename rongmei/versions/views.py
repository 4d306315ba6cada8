"""Versions in the admin and their previews: each version as its reader
sees it (a phone frame for WeChat, Weibo and short video, the website page,
the newspaper's print proof, the TV script with running times).

The same rendering serves the admin page and ``GET /api/v1/stories/{id}/
versions/{version_id}/preview``. A preview shows the story's latest
revision, the package the three review levels approve. Every text is
escaped by the templates; bodies are sanitised here before they are marked
safe, whatever the version holds."""

import logging

import nh3
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel, Panel
from wagtail.rich_text import expand_db_html

from rongmei.core.text import RICH_TEXT_ATTRIBUTES, RICH_TEXT_TAGS, html_to_text
from rongmei.distribution.models import Channel
from rongmei.stories.models import Story
from rongmei.versions.formats import field_label

logger = logging.getLogger(__name__)

VIEW_STORY = "stories.view_story"
CHANGE_STORY = "stories.change_story"

# What a preview shows of a version's body: the story's rich text, plus the
# figures, inline styles and tables a channel's body may use (WeChat's
# article HTML is inline-styled). Scripts, forms, frames, event handlers and
# outside style sheets never pass.
PREVIEW_TAGS = RICH_TEXT_TAGS | {"img", "figure", "figcaption", "section", "span", "div", "table", "thead",
                                 "tbody", "tr", "th", "td", "caption"}  # fmt: skip
PREVIEW_ATTRIBUTES = {
    **RICH_TEXT_ATTRIBUTES,
    "img": {"src", "alt", "width", "height", "style"},
    "*": {"style"},
}
STYLE_PROPERTIES = {
    "color", "background-color", "font-size", "font-weight", "font-style", "line-height", "letter-spacing",
    "text-align", "text-indent", "margin", "margin-top", "margin-bottom", "margin-left", "margin-right", "padding",
    "padding-top", "padding-bottom", "padding-left", "padding-right", "border", "border-left", "border-bottom",
    "border-radius", "width", "max-width", "height", "display", "text-decoration", "box-sizing", "vertical-align",
}  # fmt: skip


def sanitize_body(html: str) -> str:
    """A version's body, safe to put in a page: Wagtail's link and embed
    references expanded, then everything not on the allow-list removed."""
    if not html:
        return ""
    try:
        html = expand_db_html(html)
    except Exception:  # a malformed reference: show the text rather than fail the preview
        logger.warning("A version body's rich-text references could not be expanded", exc_info=True)
    return nh3.clean(
        html,
        tags=PREVIEW_TAGS,
        attributes=PREVIEW_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        filter_style_properties=STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# -- where versions are read


def latest(story: Story) -> Story:
    """The story as its latest revision holds it (with its versions): what
    the editor shows and the review approves."""
    from rongmei.versions.actions import package

    return package(story)


def story_versions(story: Story) -> list:
    """The versions of the story's latest revision, in channel order."""
    versions = list(latest(story).versions.all())
    channels = Channel.objects.in_bulk([v.channel_id for v in versions])
    for version in versions:
        if version.channel_id in channels:
            version.channel = channels[version.channel_id]
    return sorted(versions, key=lambda v: (v.channel.sort_order, v.channel.name, v.channel_id))


def find_version(story: Story, version_id: int):
    """The version ``version_id`` of the story's latest revision, or 404."""
    for version in story_versions(story):
        if version.pk == version_id:
            return version
    raise Http404(_("The story has no such version."))


def version_for_channel(story: Story, channel_id: int):
    for version in story_versions(story):
        if version.channel_id == channel_id:
            return version
    raise Http404(_("The story has no version for this channel."))


# -- previews


def _image_url(asset, kinds=("web", "poster", "thumbnail")) -> str:
    from rongmei.archive.views.common import file_url

    if asset is None:
        return ""
    for kind in kinds:
        if asset.rendition(kind):
            return file_url(asset, kind)
    if asset.kind == "photo":
        return file_url(asset)  # renditions not made yet: the original
    return ""


def _photos(story: Story) -> list[dict]:
    """The story's attached photos with their captions, for the previews."""
    photos = []
    for link in story.attached_assets.all():
        asset = link.asset
        if asset is None or asset.kind != "photo":
            continue
        photos.append({"url": _image_url(asset), "caption": asset.caption or asset.title, "asset": asset})
    return photos


def _paragraphs(html: str) -> list[str]:
    return [line.strip() for line in html_to_text(html or "").split("\n") if line.strip()]


def preview_context(version) -> dict:
    from rongmei.versions.formats import format_for

    fmt = format_for(version.channel)
    story = version.story
    data = version.data if isinstance(version.data, dict) else {}
    photos = _photos(story)
    try:
        counters = list(fmt.counters(version))
    except Exception:  # a broken version still previews; its problems say what is wrong
        counters = []
    try:
        problems = list(fmt.validate(version))
    except Exception:
        problems = []
    return {
        "version": version,
        "story": story,
        "channel": version.channel,
        "format": fmt,
        "format_label": getattr(fmt, "LABEL", ""),
        "data": data,
        "body": mark_safe(sanitize_body(version.body)),  # noqa: S308 - sanitised just above
        "paragraphs": _paragraphs(version.body),
        "photos": photos,
        "cover_url": _image_url(version.cover),
        "video_poster_url": _image_url(version.video, ("poster", "thumbnail")),
        "counters": [
            {"field": c.field, "label": field_label(c.field), "count": c.count, "limit": c.limit, "over": c.over}
            for c in counters
        ],
        "problems": problems,
        "hashtags": [str(tag) for tag in data.get("hashtags", []) or []],
        "organisation": getattr(version.channel.organisation, "name", ""),
    }


def _clock(seconds) -> str:
    seconds = max(0, round(float(seconds or 0)))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _srt_cues(value) -> list[dict]:
    """Subtitle cues from an SRT text or a list of cues, for the preview."""
    if isinstance(value, list):
        cues = []
        for cue in value:
            if isinstance(cue, dict):
                cues.append({"start": cue.get("start", ""), "end": cue.get("end", ""), "text": cue.get("text", "")})
        return cues
    cues = []
    for block in str(value or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.strip().split("\n") if line.strip()]
        if len(lines) >= 2 and "-->" in lines[1]:
            start, _arrow, end = lines[1].partition("-->")
            cues.append({"start": start.strip()[:8], "end": end.strip()[:8], "text": " ".join(lines[2:])})
    return cues


def _assets_by_id(ids) -> list:
    from rongmei.archive.models import Asset

    ids = [i for i in ids or [] if isinstance(i, int)]
    found = Asset.objects.prefetch_related("renditions").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _figures(images) -> list[dict]:
    """``[{"asset": id, "caption": str}]`` as pictures with captions."""
    images = [image for image in images or [] if isinstance(image, dict)]
    assets = {a.pk: a for a in _assets_by_id([image.get("asset") for image in images])}
    figures = []
    for image in images:
        asset = assets.get(image.get("asset"))
        if asset is not None:
            figures.append({"url": _image_url(asset), "caption": str(image.get("caption") or ""), "asset": asset})
    return figures


def _extras(version, template: str, context: dict) -> dict:
    """What one kind of preview shows besides the common fields."""
    data = context["data"]
    name = template.rsplit("/", 1)[-1].removesuffix(".html")
    if name == "weibo":
        images = [{"url": _image_url(a), "caption": a.caption or a.title} for a in _assets_by_id(data.get("images"))]
        return {"weibo_text": version.body, "link": data.get("link", ""), "images": images[:9]}
    if name == "short_video":
        return {"description": version.summary, "subtitles": _srt_cues(data.get("srt") or data.get("subtitles"))}
    if name == "website":
        return {
            "translation_state": data.get("translation_state", "") if version.channel.language == "en" else "",
            "photos": _figures(data.get("images")) if "images" in data else context["photos"],
        }
    if name in ("newspaper", "periodical"):
        counted = {c["field"]: c for c in context["counters"]}
        body = counted.get("body")
        captions = {item.get("asset"): str(item.get("caption") or "") for item in data.get("captions") or []
                    if isinstance(item, dict)}  # fmt: skip
        figures = []
        for asset in _assets_by_id(data.get("images")):
            figures.append({"url": _image_url(asset), "caption": captions.get(asset.pk, asset.caption or asset.title)})
        return {
            "characters": body["count"] if body else 0,
            "budget": body["limit"] if body else 0,
            "slot": data.get("slot") if isinstance(data.get("slot"), dict) else {},
            "figures": figures,
            "plain_body": "<" not in (version.body or ""),
        }
    if name == "partner":
        items = [item for item in data.get("originals") or [] if isinstance(item, dict)]
        assets = {a.pk: a for a in _assets_by_id([item.get("asset") for item in items])}
        originals = []
        for item in items:
            asset = assets.get(item.get("asset"))
            if asset is not None:
                originals.append({"url": _image_url(asset, ("thumbnail", "poster")), "title": asset.title,
                                  "kind": asset.get_kind_display(), "name": asset.original_name,
                                  "credit": str(item.get("credit") or "")})  # fmt: skip
        return {"originals": originals}
    if name == "tv":
        from rongmei.versions import text as rules

        try:
            rate = int(data.get("reading_rate") or rules.READING_RATE_CPM)
        except (TypeError, ValueError):
            rate = rules.READING_RATE_CPM
        rate = rate if rate > 0 else rules.READING_RATE_CPM
        rows = [{"kind": "lead", "label": _("Lead (导语)"), "text": version.summary, "speaker": "",
                 "seconds": rules.reading_seconds(version.summary or "", rate=rate)}]  # fmt: skip
        for segment in data.get("segments") or []:
            if not isinstance(segment, dict):
                continue
            text = str(segment.get("text") or "")
            if segment.get("kind") == "sync":
                try:
                    seconds = int(segment.get("seconds") or 0)
                except (TypeError, ValueError):
                    seconds = 0
                rows.append({"kind": "sync", "label": _("Sound bite (同期声)"), "text": text,
                             "speaker": str(segment.get("speaker") or ""), "seconds": seconds})  # fmt: skip
            else:
                rows.append({"kind": "voiceover", "label": _("Voice-over (配音)"), "text": text, "speaker": "",
                             "seconds": rules.reading_seconds(text, rate=rate)})  # fmt: skip
        clock = 0
        for row in rows:
            row["at"], row["length"] = _clock(clock), _clock(row["seconds"])
            clock += row["seconds"]
        target = data.get("target_seconds") or 0
        return {
            "segments": rows,
            "total_time": _clock(clock),
            "total_seconds": clock,
            "target_time": _clock(target) if target else "",
            "over_target": bool(target) and clock > float(target),
            "rate": rate,
            "lower_thirds": [str(t) for t in data.get("lower_thirds") or []],
        }
    return {}


def render_preview(version, request=None) -> str:
    from rongmei.versions.formats import format_for

    template = format_for(version.channel).PREVIEW_TEMPLATE
    context = preview_context(version)
    context.update(_extras(version, template, context))
    return render_to_string(template, context, request=request)


def preview_view(request, pk: int, version_id: int):
    """A version's preview in the admin (anyone who may read stories: reviewers included)."""
    if not request.user.has_perm(VIEW_STORY):
        raise PermissionDenied
    story = get_object_or_404(Story, pk=pk)
    return HttpResponse(render_preview(find_version(story, version_id), request))


def channel_preview_view(request, pk: int, channel_id: int):
    """The same, found by channel (a version made since the story was
    approved has no id of its own until the review approves it)."""
    if not request.user.has_perm(VIEW_STORY):
        raise PermissionDenied
    story = get_object_or_404(Story, pk=pk)
    return HttpResponse(render_preview(version_for_channel(story, channel_id), request))


def preview_url(version) -> str:
    return reverse("versions:channel_preview", args=[version.story_id, version.channel_id])


# -- generating from the admin


def generate_view(request, pk: int):
    """Generate the story's versions: a page of its own (GET asks, POST does),
    so that the editor's unsaved changes are never posted away with it."""
    from rongmei.stories.actions import StoryError
    from rongmei.versions import actions

    if not request.user.has_perm(CHANGE_STORY):
        raise PermissionDenied
    story = get_object_or_404(Story, pk=pk)
    edit_url = reverse("wagtailsnippets_stories_story:edit", args=[pk]) + "#tab-versions"
    channels = actions.channels_of(story)
    existing = {v.channel_id: v for v in story_versions(story)}
    if request.method == "POST":
        chosen = [int(c) for c in request.POST.getlist("channels") if c.isdigit()]
        selected = [c for c in channels if c.pk in chosen] if chosen else None
        try:
            made = actions.generate_versions(
                story,
                user=request.user,
                channels=selected,
                overwrite_edited=request.POST.get("overwrite_edited") == "on",
            )
        except (StoryError, actions.VersionError) as refused:
            messages.error(request, refused.message)
        except Exception as error:  # ValidationError and the like: say it, keep the story as it was
            messages.error(request, _("The versions were not generated: %(error)s") % {"error": error})
        else:
            messages.success(request, _("%(count)d versions generated.") % {"count": len(made)})
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "versions/generate.html",
        {
            "story": story,
            "channels": [(channel, existing.get(channel.pk)) for channel in channels],
            "edit_url": edit_url,
            "page_title": _("Generate versions"),
        },
    )


@require_POST
def suggest_view(request, pk: int, version_id: int):
    """The editor's suggestion buttons (标题建议, 改写, 英文翻译): JSON
    options that the editor's script shows with 采用 and 放弃. Nothing is
    saved here; an accepted option goes into the form like typing would."""
    from rongmei.versions import generation

    if not request.user.has_perm(CHANGE_STORY):
        raise PermissionDenied
    story = get_object_or_404(Story, pk=pk)
    version = find_version(story, version_id)
    kind = request.POST.get("kind", "")
    if kind not in generation.SUGGESTION_KINDS:
        return JsonResponse({"error": _("Unknown kind of suggestion.")}, status=400)
    try:
        limit = min(max(int(request.POST.get("limit") or 120), 10), 2000)
    except ValueError:
        return JsonResponse({"error": _("The length limit must be a whole number.")}, status=400)
    suggestion = generation.suggest_for(story, version, kind, limit=limit)
    return JsonResponse(
        {"kind": kind, "options": suggestion.options, "source": suggestion.source, "notice": str(suggestion.notice)}
    )


# -- the story editor's Versions tab

# How the editor's live counter counts a field, mirroring each format's
# ``counters()``: "chars" counts code points of the value as typed
# (rongmei.versions.text.length; WeChat's body counts its HTML), "weibo" two
# ASCII characters as one (text.weibo_length), "print" each paragraph's
# characters plus a two-character indent (formats.newspaper.body_length).
COUNTING_WAYS = {("weibo", "body"): "weibo", ("newspaper", "body"): "print"}


def editor_limits() -> dict:
    """``{channel_id: {field: {"limit": n, "way": ...}}}`` for the live
    counters, from each format's own ``counters()`` (the limits stay in the
    format modules)."""
    from rongmei.versions.formats import format_for
    from rongmei.versions.models import Version

    table = {}
    for channel in Channel.objects.filter(is_active=True):
        try:
            fmt = format_for(channel)
            counters = fmt.counters(Version(channel=channel, story=Story(title="")))
        except Exception:  # a format that cannot count an empty version has no live counter
            logger.warning("No live counters for channel %s", channel.pk, exc_info=True)
            continue
        code = getattr(fmt, "CODE", "")
        table[str(channel.pk)] = {
            c.field: {"limit": c.limit, "way": COUNTING_WAYS.get((code, c.field), "chars")} for c in counters
        }
    return table


class VersionsToolbarPanel(Panel):
    """At the top of the Versions tab: generate, the counters' limits, and
    a preview link for each version."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "versions/panels/toolbar.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            story = self.instance
            versions = []
            if story.pk:
                versions = [(v, preview_url(v)) for v in story_versions(story) if v.channel_id]
            context.update(
                story=story,
                versions=versions,
                limits=editor_limits(),
                can_generate=story.pk and self.request.user.has_perm(CHANGE_STORY),
                generate_url=reverse("versions:generate", args=[story.pk]) if story.pk else "",
                deliveries_url=f"{reverse('distribution:board')}?story={story.pk}"
                if story.pk and self.request.user.has_perm("distribution.view_delivery")
                else "",
            )
            return context


class VersionInfoPanel(Panel):
    """Under each version in the editor: its counters, its problems, the
    format's own fields (read-only) and its preview."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "versions/panels/version_info.html"

        def get_context_data(self, parent_context=None):
            from rongmei.versions.formats import format_for

            context = super().get_context_data(parent_context)
            version = self.instance
            counters, problems, url = [], [], ""
            if version is not None and version.channel_id and version.story_id:
                try:
                    fmt = format_for(version.channel)
                    counters, problems = list(fmt.counters(version)), list(fmt.validate(version))
                except Exception:  # the editor still opens; the preview says what is wrong
                    logger.warning("Version %s could not be checked", version.pk, exc_info=True)
                url = preview_url(version)
            counters = [{"label": field_label(c.field), "count": c.count, "limit": c.limit, "over": c.over}
                        for c in counters]  # fmt: skip
            suggest_url = ""
            if url and version.pk:
                suggest_url = reverse("versions:suggest", args=[version.story_id, version.pk])
            context.update(
                version=version, counters=counters, problems=problems, preview_url=url, suggest_url=suggest_url
            )
            return context


class VersionForm(WagtailAdminModelForm):
    """A version changed in the editor is what ``actions.update_version``
    makes of it: marked edited (generating again keeps it) and normalised
    by its format (WeChat's body sanitised, subtitles following the text)."""

    def save(self, commit=True):
        from rongmei.versions.formats import format_for

        instance = super().save(commit=False)
        if self.has_changed() and instance.channel_id:
            instance.edited = True
            fmt = format_for(instance.channel)
            normalise = getattr(fmt, "normalise", None) if fmt else None
            if normalise:
                normalise(instance)
        if commit:
            instance.save()
        return instance


class VersionsInlinePanel(InlinePanel):
    """The story's versions, each with :class:`VersionForm`."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = VersionForm
        return options
