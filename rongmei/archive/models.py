"""The media archive (一次采集、存档、建目): every photo, video, audio
recording and document, ingested once, kept intact, catalogued and found.

An :class:`Asset` is one original file, identified by its SHA-256: the same
content uploaded twice is one asset. The original is never modified; the
worker derives :class:`Rendition` files from it (thumbnail and web image for
photos; poster, keyframe strip and H.264 proxy for video). Cataloguing
fields (title, caption, event, people, rights…) are edited by people;
technical fields (dimensions, EXIF, codecs…) are read from the file.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.models import Collection, Orderable, get_root_collection_id
from wagtail.search import index

from rongmei.core.search import SegmentedSearchField


def archive_storage():
    """Originals and renditions live in the ``archive`` storage: local disk
    under the data dir by default, an S3-compatible store by configuration."""
    return storages["archive"]


class Kind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")


class Rights(models.TextChoices):
    OWN = "own", _("Own work (本单位)")
    LICENSED = "licensed", _("Licensed (授权)")
    RESTRICTED = "restricted", _("Restricted use (限制使用)")


class Security(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Named staff only")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")
    SQUARE = "square", _("Square")


class Status(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Renditions failed")


class Event(models.Model):
    """An event or activity (活动) at which assets were captured."""

    class EventKind(models.TextChoices):
        MAJOR = "major", _("Major event (重大活动)")
        MEETING = "meeting", _("Important meeting (重要会议)")
        LEADERS = "leaders", _("Leaders' activity (主要领导活动)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices, default=EventKind.OTHER)
    starts_on = models.DateField(_("date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """A person who appears in assets (人物)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AssetKeyword(TaggedItemBase):
    content_object = models.ForeignKey("Asset", on_delete=models.CASCADE, related_name="tagged_keywords")


class AssetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What ``user`` may see: assets of the "named staff only" security
        level need the ``view_restricted_asset`` permission."""
        if user.has_perm("archive.view_restricted_asset"):
            return self
        return self.exclude(security=Security.RESTRICTED)

    def rights_expired(self, on: datetime.date | None = None):
        return self.filter(rights_expire_on__lt=on or timezone.localdate())


class Asset(index.Indexed, models.Model):
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROCESSING)
    processing_error = models.TextField(_("processing error"), blank=True)

    # The file, as received.
    original = models.FileField(_("original"), storage=archive_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.BigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("MIME type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    # Read from the file.
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    orientation = models.CharField(_("orientation"), max_length=10, choices=Orientation.choices, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    camera = models.CharField(_("camera"), max_length=100, blank=True)
    lens = models.CharField(_("lens"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=40, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=40, blank=True)
    frame_rate = models.FloatField(_("frame rate"), null=True, blank=True)
    bitrate = models.BigIntegerField(_("bitrate (bit/s)"), null=True, blank=True)
    technical = models.JSONField(_("technical metadata"), default=dict, blank=True)

    # Catalogue (建目).
    title = models.CharField(_("title"), max_length=200, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets", verbose_name=_("event")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    people = models.ManyToManyField(Person, blank=True, related_name="assets", verbose_name=_("people"))
    organisations = models.CharField(_("organisations"), max_length=500, blank=True)
    photographer = models.CharField(_("photographer or camera operator"), max_length=100, blank=True)
    keywords = TaggableManager(through=AssetKeyword, blank=True, verbose_name=_("keywords"))
    category = models.ForeignKey(
        "stories.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("category"),
    )
    rights = models.CharField(_("usage rights"), max_length=10, choices=Rights.choices, default=Rights.OWN)
    rights_holder = models.CharField(_("rights holder"), max_length=200, blank=True)
    rights_expire_on = models.DateField(_("rights expire on"), null=True, blank=True)
    security = models.CharField(_("security level"), max_length=10, choices=Security.choices, default=Security.INTERNAL)
    collection = models.ForeignKey(
        Collection,
        on_delete=models.PROTECT,
        default=get_root_collection_id,
        related_name="+",
        verbose_name=_("collection"),
    )

    objects = AssetQuerySet.as_manager()

    search_fields = [
        SegmentedSearchField("title", boost=10),
        SegmentedSearchField("caption"),
        SegmentedSearchField("keyword_text", boost=5),
        SegmentedSearchField("people_text", boost=3),
        SegmentedSearchField("event_name", boost=3),
        SegmentedSearchField("location"),
        SegmentedSearchField("organisations"),
        SegmentedSearchField("photographer"),
        SegmentedSearchField("original_name"),
        index.FilterField("kind"),
        index.FilterField("event"),
        index.FilterField("rights"),
        index.FilterField("security"),
        index.FilterField("orientation"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-uploaded_at", "-id"]
        permissions = [("view_restricted_asset", _("Can see assets for named staff only"))]
        indexes = [
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["event", "kind"]),
            models.Index(fields=["rights_expire_on"]),
        ]

    def __str__(self):
        return self.title or self.original_name

    # -- what the index reads

    def keyword_text(self) -> str:
        return " ".join(self.keywords.names()) if self.pk else ""

    def people_text(self) -> str:
        return " ".join(person.name for person in self.people.all()) if self.pk else ""

    def event_name(self) -> str:
        return self.event.name if self.event_id else ""

    # --

    @property
    def rights_expired(self) -> bool:
        return self.rights_expire_on is not None and self.rights_expire_on < timezone.localdate()

    def rendition(self, kind: str):
        for rendition in self.renditions.all():
            if rendition.kind == kind:
                return rendition
        return None


class Rendition(models.Model):
    """A file derived from an asset's original by the worker."""

    class RenditionKind(models.TextChoices):
        THUMBNAIL = "thumbnail", _("Thumbnail")
        WEB = "web", _("Web image")
        POSTER = "poster", _("Poster frame")
        STRIP = "strip", _("Keyframe strip")
        PROXY = "proxy", _("Web proxy (H.264 MP4)")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(_("kind"), max_length=10, choices=RenditionKind.choices)
    file = models.FileField(_("file"), storage=archive_storage, max_length=255)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [models.UniqueConstraint(fields=["asset", "kind"], name="rendition_unique_kind")]

    def __str__(self):
        return f"{self.asset} · {self.get_kind_display()}"


class StoryAsset(Orderable):
    """An asset attached to a story. The relation lives in the story's
    revisions (a ParentalKey), so reviewers approve the pictures with the
    words. An asset whose rights have expired needs a written reason."""

    story = ParentalKey("stories.Story", on_delete=models.CASCADE, related_name="attached_assets")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="story_uses", verbose_name=_("asset"))
    rights_override_reason = models.CharField(
        _("reason for using it after its rights expired"), max_length=500, blank=True
    )

    class Meta(Orderable.Meta):
        verbose_name = _("attached asset")
        verbose_name_plural = _("attached assets")

    def __str__(self):
        return str(self.asset)

    def clean(self):
        super().clean()
        if self.asset_id and self.asset.rights_expired and not (self.rights_override_reason or "").strip():
            raise ValidationError(
                {
                    "rights_override_reason": _(
                        "The usage rights of this asset expired on %(date)s. Write why it may be used anyway; "
                        "the reason is audited."
                    )
                    % {"date": self.asset.rights_expire_on}
                }
            )


class Upload(models.Model):
    """A chunked, resumable upload in progress: bytes arrive in order and are
    appended to a part file on local disk; at the last byte the file is
    ingested as an asset and the part file removed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    catalogue = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    asset = models.ForeignKey(Asset, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self):
        return f"{self.filename} ({self.received}/{self.size})"

    @property
    def part_path(self):
        return settings.DATA_DIR / "uploads" / f"{self.id}.part"
