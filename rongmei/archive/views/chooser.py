"""The asset chooser of the story editor (the "Assets" tab): a Wagtail
chooser modal over the assets the user may see, searched with the Chinese
search of :mod:`rongmei.core.search`, with thumbnails and the rights
shown, so that an expired asset is recognised before it is chosen."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from rongmei.archive.models import Asset, Kind
from rongmei.archive.views.common import thumbnail_url, visible_assets
from rongmei.core.search import search

SEARCH_LIMIT = 500


class AssetFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=gettext_lazy("Search term"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Search")}),
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All types")), *Kind.choices],
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def filter(self, objects):
        if self.cleaned_data.get("kind"):
            objects = objects.filter(kind=self.cleaned_data["kind"])
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            return search(objects, query, limit=SEARCH_LIMIT)
        return objects


class ThumbnailColumn(Column):
    cell_template_name = "archive/chooser/thumbnail_cell.html"

    def get_value(self, instance):
        return thumbnail_url(instance)


class RightsColumn(Column):
    def get_value(self, instance):
        if instance.rights_expired:
            return _("Rights expired on %(date)s") % {"date": instance.rights_expire_on}
        if instance.rights_expire_on:
            return _("%(rights)s, until %(date)s") % {
                "rights": instance.get_rights_display(),
                "date": instance.rights_expire_on,
            }
        return instance.get_rights_display()


class AssetChooseMixin:
    per_page = 20
    filter_form_class = AssetFilterForm

    def get_object_list(self):
        return visible_assets(self.request.user).prefetch_related("renditions").select_related("event")

    @property
    def columns(self):
        return [
            ThumbnailColumn("thumbnail", label=_("Preview"), width="90px"),
            self.title_column,
            Column("kind", label=_("Type"), accessor="get_kind_display"),
            Column("event", label=_("Event")),
            Column("date", label=_("Date")),
            RightsColumn("rights", label=_("Usage rights")),
        ]


class AssetChooseView(AssetChooseMixin, ChooseView):
    pass


class AssetChooseResultsView(AssetChooseMixin, ChooseResultsView):
    pass


class AssetChosenView(ChosenView):
    def get_object(self, pk):
        return visible_assets(self.request.user).get(pk=pk)

    def get_display_title(self, instance):
        title = str(instance)
        if instance.rights_expire_on and instance.rights_expire_on < timezone.localdate():
            title += " · " + _("rights expired on %(date)s") % {"date": instance.rights_expire_on}
        return title

    def get_edit_item_url(self, instance):
        return reverse("archive:asset", args=[instance.pk])


class AssetChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        return visible_assets(self.request.user).filter(pk__in=[pk for pk in pks if str(pk).isdigit()])

    def get_edit_item_url(self, instance):
        return reverse("archive:asset", args=[instance.pk])


class AssetChooserViewSet(ChooserViewSet):
    model = Asset
    icon = "image"
    choose_one_text = gettext_lazy("Choose an asset")
    choose_another_text = gettext_lazy("Choose another asset")
    edit_item_text = gettext_lazy("Open in the archive")
    choose_view_class = AssetChooseView
    choose_results_view_class = AssetChooseResultsView
    chosen_view_class = AssetChosenView
    chosen_multiple_view_class = AssetChosenMultipleView
    per_page = 20


asset_chooser = AssetChooserViewSet("archive_asset_chooser", url_prefix="archive/choose")
