from django import template

register = template.Library()


@register.filter
def label(mapping: dict, code):
    """The label of a stored code; the code itself when the vocabulary no longer has it."""
    if code in (None, ""):
        return "—"
    return mapping.get(code, code) if mapping else code


@register.filter
def labels(mapping: dict, codes):
    if not codes:
        return "—"
    return ", ".join(str(mapping.get(c, c)) for c in codes)
