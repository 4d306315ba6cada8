from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` in a template."""
    return (mapping or {}).get(key, "")
