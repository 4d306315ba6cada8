from django import template

from rongmei.core.models import Organisation

register = template.Library()


@register.simple_tag
def organisation_name(default=""):
    """The name of the center this platform runs, for headings."""
    name = Organisation.objects.order_by("pk").values_list("name", flat=True).first()
    return name or default
