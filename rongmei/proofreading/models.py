"""The proofreading lexicon (校对词库) and the enums of the proofreading app.

Every enum of the app lives here: the kind of a lexicon entry, the severity
of a hit, and the code of each rule the engine applies.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How the names of a leader-order entry are separated in ``term``; imports
# and the admin form also accept the other separators and normalise them.
LEADER_SEPARATOR = "、"
LEADER_SEPARATORS = "、,，;；\n"

TERM_MAX_LENGTH = 200


class Kind(models.TextChoices):
    FORBIDDEN = "forbidden", _("Forbidden word")
    SENSITIVE = "sensitive", _("Sensitive word")
    STANDARD_EXPRESSION = "standard_expression", _("Standard expression")
    LEADER_ORDER = "leader_order", _("Order of leaders' names")
    ALLOWED = "allowed", _("Allowed phrase (exception)")


class Severity(models.TextChoices):
    INFO = "info", _("Info")
    WARNING = "warning", _("Warning")
    BLOCKING = "blocking", _("Blocking")


# To compare severities: 0, 1, 2 from info to blocking.
SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.BLOCKING: 2}


class Rule(models.TextChoices):
    """The stable code of each check, as found in every hit."""

    FORBIDDEN = "forbidden", _("Forbidden word")
    SENSITIVE = "sensitive", _("Sensitive word")
    STANDARD_EXPRESSION = "standard_expression", _("Standard expression")
    LEADER_ORDER = "leader_order", _("Order of leaders' names")
    REPEATED_PUNCTUATION = "repeated_punctuation", _("Repeated punctuation")
    HALFWIDTH_PUNCTUATION = "halfwidth_punctuation", _("Half-width punctuation in Chinese text")
    UNPAIRED_MARK = "unpaired_mark", _("Unpaired mark")
    DOUBLED_CHARACTER = "doubled_character", _("Doubled character")
    INCONSISTENT_NUMBER_FORMAT = "inconsistent_number_format", _("Inconsistent number format")
    INCONSISTENT_DATE_FORMAT = "inconsistent_date_format", _("Inconsistent date format")


def split_leader_names(term: str) -> list[str]:
    """The names of a leader-order term, in order, without blanks."""
    for separator in LEADER_SEPARATORS:
        term = term.replace(separator, LEADER_SEPARATOR)
    return [name.strip() for name in term.split(LEADER_SEPARATOR) if name.strip()]


def normalise_term(kind: str, term: str) -> str:
    """The form in which a term is stored: trimmed; for a leader order the
    names joined by ``、``."""
    term = term.strip()
    if kind == Kind.LEADER_ORDER:
        return LEADER_SEPARATOR.join(split_leader_names(term))
    return term


def entry_problem(kind: str, term: str, suggestion: str) -> ValidationError | None:
    """Why an entry with this (normalised) kind, term and suggestion cannot
    be kept — a message in plain words with a stable ``code`` — or ``None``
    when it can."""
    if not term:
        return ValidationError(_("The term is empty."), code="empty_term")
    if len(term) > TERM_MAX_LENGTH:
        return ValidationError(
            _("The term is longer than %(max)d characters.") % {"max": TERM_MAX_LENGTH}, code="term_too_long"
        )
    if kind == Kind.STANDARD_EXPRESSION:
        if not suggestion:
            return ValidationError(
                _("A standard expression needs a suggestion: the right form."), code="suggestion_missing"
            )
        if suggestion == term:
            return ValidationError(_("The suggestion is the same as the term."), code="suggestion_is_term")
    if kind == Kind.LEADER_ORDER:
        names = split_leader_names(term)
        if len(names) < 2:
            return ValidationError(
                _("An order of leaders needs at least two names, separated by “、”."), code="too_few_names"
            )
        if len(set(names)) != len(names):
            return ValidationError(_("A name appears twice in the order of leaders."), code="repeated_name")
    return None


class LexiconEntry(models.Model):
    """One entry of the lexicon the engine checks stories against.

    ``term`` is what is looked for: the forbidden or sensitive word, the wrong
    form of a standard expression, or an allowed phrase inside which nothing
    is flagged. For an order of leaders it is the names in the right order,
    joined by ``、`` (``习近平、李强、赵乐际``). ``suggestion`` is the right
    form of a standard expression, a replacement or advice otherwise.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    term = models.CharField(_("term"), max_length=TERM_MAX_LENGTH)
    suggestion = models.CharField(_("suggestion"), max_length=500, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lexicon entry")
        verbose_name_plural = _("lexicon")
        ordering = ["kind", "term"]
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="lexicon_unique_kind_term")]

    def __str__(self):
        return self.term

    def clean(self):
        self.term = normalise_term(self.kind, self.term or "")
        self.suggestion = (self.suggestion or "").strip()
        problem = entry_problem(self.kind, self.term, self.suggestion)
        if problem is not None:
            raise problem


class LexiconRevision(models.Model):
    """One row whose token changes with every change to the lexicon.

    Each process keeps the lexicon compiled in memory and compares this
    token (one primary-key read) before a check; a new token means another
    process, or this one, changed the lexicon. A random token rather than a
    counter: a change that is rolled back cannot leave behind a number that
    a later, different change reuses.
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.token)

    @classmethod
    def bump(cls) -> uuid.UUID:
        """Mark the lexicon as changed; call inside the changing transaction."""
        token = uuid.uuid4()
        if not cls.objects.filter(pk=1).update(token=token, changed_at=timezone.now()):
            cls.objects.create(pk=1, token=token)
        return token

    @classmethod
    def current(cls) -> uuid.UUID | None:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first()
