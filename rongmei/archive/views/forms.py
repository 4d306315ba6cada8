"""The forms of the archive's admin pages.

They collect plain values only: every check of a catalogue value (dates,
rights, lengths, events…) is made by :mod:`rongmei.archive.catalogue`, so
that the admin, the API and the import command refuse the same input with
the same Chinese message. Its errors are put back on the form's fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection

from rongmei.archive.models import Asset, Event, Rights, Security

UNCHANGED = [("", _("— leave unchanged —"))]


def _category_choices():
    from rongmei.stories.models import Category

    return [("", "—"), *((str(c.pk), c.name) for c in Category.objects.order_by("sort_order", "name"))]


def _collection_choices():
    return [(str(c.pk), c.get_indented_name(html=False) or c.name) for c in Collection.objects.order_by("path")]


def _text(label, *, max_length=None, textarea=False, datalist=None, help_text=""):
    attrs = {"list": datalist} if datalist else {}
    widget = forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget, help_text=help_text)


def _date(label):
    # A text field with the browser's date picker: the catalogue checks the value.
    return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CatalogueFormMixin:
    """Puts the catalogue's errors (a ``message_dict``) on the form's fields."""

    def add_catalogue_errors(self, error: ValidationError):
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def event_value(self, name: str):
        """An existing event by its id (so that a name of digits is not read as an id), else the new name."""
        name = (name or "").strip()
        if not name:
            return ""
        event = Event.objects.filter(name=name).only("pk").first()
        return event.pk if event else name


class CatalogueForm(CatalogueFormMixin, forms.Form):
    """Every catalogue field of one asset (建目)."""

    title = _text(_("Title"))
    caption = _text(_("Caption"), textarea=True)
    event = _text(_("Event"), datalist="archive-events", help_text=_("Pick an event, or type a new name to add one."))
    date = _date(_("Date"))
    location = _text(_("Location"))
    people = _text(_("People"), help_text=_("Separate names with commas (，or 、)."))
    organisations = _text(_("Organisations"))
    photographer = _text(_("Photographer or camera operator"), datalist="archive-photographers")
    keywords = _text(_("Keywords"), help_text=_("Separate keywords with commas."))
    category = forms.ChoiceField(label=_("Category"), required=False)
    rights = forms.ChoiceField(label=_("Usage rights"), choices=Rights.choices)
    rights_holder = _text(_("Rights holder"))
    rights_expire_on = _date(_("Rights expire on"))
    security = forms.ChoiceField(label=_("Security level"), choices=Security.choices)
    collection = forms.ChoiceField(label=_("Collection"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["collection"].choices = _collection_choices()

    @staticmethod
    def initial_for(asset: Asset) -> dict:
        return {
            "title": asset.title,
            "caption": asset.caption,
            "event": asset.event.name if asset.event_id else "",
            "date": asset.date.isoformat() if asset.date else "",
            "location": asset.location,
            "people": "，".join(person.name for person in asset.people.all()),
            "organisations": asset.organisations,
            "photographer": asset.photographer,
            "keywords": "，".join(asset.keywords.names()),
            "category": str(asset.category_id or ""),
            "rights": asset.rights,
            "rights_holder": asset.rights_holder,
            "rights_expire_on": asset.rights_expire_on.isoformat() if asset.rights_expire_on else "",
            "security": asset.security,
            "collection": str(asset.collection_id),
        }

    def catalogue_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["event"] = self.event_value(data["event"])
        return data


class BulkEditForm(CatalogueFormMixin, forms.Form):
    """The catalogue fields that make sense for many assets at once. Only
    the fields filled in are applied; people and keywords are added."""

    event = _text(_("Event"), datalist="archive-events")
    date = _date(_("Date"))
    location = _text(_("Location"))
    people = _text(_("Add people"))
    organisations = _text(_("Organisations"))
    photographer = _text(_("Photographer or camera operator"), datalist="archive-photographers")
    keywords = _text(_("Add keywords"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    rights = forms.ChoiceField(label=_("Usage rights"), required=False, choices=UNCHANGED + list(Rights.choices))
    rights_holder = _text(_("Rights holder"))
    rights_expire_on = _date(_("Rights expire on"))
    security = forms.ChoiceField(label=_("Security level"), required=False, choices=UNCHANGED + list(Security.choices))
    collection = forms.ChoiceField(label=_("Collection"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="bulk", **kwargs)
        self.fields["category"].choices = UNCHANGED + _category_choices()[1:]
        self.fields["collection"].choices = UNCHANGED + _collection_choices()

    def catalogue_data(self) -> dict:
        """The fields that were filled in."""
        data = {field: value for field, value in self.cleaned_data.items() if str(value or "").strip()}
        if "event" in data:
            data["event"] = self.event_value(data["event"])
        return data


class UploadForm(CatalogueFormMixin, forms.Form):
    """Catalogue values given to every file of an upload."""

    event = _text(_("Event"), datalist="archive-events")
    photographer = _text(_("Photographer or camera operator"), datalist="archive-photographers")
    date = _date(_("Date"))
    location = _text(_("Location"))
    people = _text(_("People"))
    keywords = _text(_("Keywords"))
    # Not required: a file posted without them gets the model's defaults.
    rights = forms.ChoiceField(label=_("Usage rights"), required=False, choices=Rights.choices, initial=Rights.OWN)
    rights_holder = _text(_("Rights holder"))
    rights_expire_on = _date(_("Rights expire on"))
    security = forms.ChoiceField(
        label=_("Security level"), required=False, choices=Security.choices, initial=Security.INTERNAL
    )

    def catalogue_data(self) -> dict:
        data = {field: value for field, value in self.cleaned_data.items() if str(value or "").strip()}
        if "event" in data:
            data["event"] = self.event_value(data["event"])
        return data
