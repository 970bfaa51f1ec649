"""Regional instruments, the report's editions and their chapters."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import must
from amparo.audit.services import section_event
from amparo.policy import choices
from amparo.policy.models import (
    ChapterText,
    Edition,
    RegionalInstrument,
)
from amparo.policy.services.common import INSTRUMENT_FIELDS
from amparo.policy.services.evidence import _money
from amparo.reference.models import Department

# ---- regional instruments, editions, chapters ----------------------------------------------------

@transaction.atomic
def instrument_save(*, actor: User, request=None, data: dict,
                    record: RegionalInstrument | None = None) -> RegionalInstrument:
    must(actor, "policy.manage")
    values = {k: data.get(k, getattr(record, k, None)) for k in INSTRUMENT_FIELDS}
    if not Department.objects.filter(code=values["department"] or "").exists():
        raise ValidationError({"department": _("Choose the department from the list.")})
    if values["kind"] not in choices.InstrumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of instrument.")})
    if not (values["name"] or "").strip():
        raise ValidationError({"name": _("Write the instrument's name.")})
    if values["starts"] and values["ends"] and values["ends"] < values["starts"]:
        raise ValidationError({"ends": _("It cannot end before it starts.")})
    values["budget"] = _money(values["budget"], "budget")
    values["has_objectives"] = bool(values["has_objectives"])
    values["budget_lines"] = bool(values["budget_lines"] or values["budget"])  # an amount is one
    for key in ("name", "norm", "notes"):
        values[key] = (values[key] or "").strip()
    record = record or RegionalInstrument(updated_by=actor)
    created = record.pk is None
    for key, value in values.items():
        setattr(record, key, value)
    record.updated_by = actor
    record.save()
    section_event(request, "policy", "policy_instrument", record.pk,
                  action="create" if created else "update", actor=actor)
    return record


@transaction.atomic
def chapter_save(*, actor: User, request=None, edition: Edition, chapter: str,
                 text: str) -> ChapterText:
    must(actor, "policy.manage")
    if chapter not in choices.Chapter.values:
        raise ValidationError({"chapter": _("Choose a chapter of the report.")})
    record, _created = ChapterText.objects.update_or_create(
        edition=edition, chapter=chapter, defaults={"text": text.strip(), "updated_by": actor})
    section_event(request, "policy", "policy_edition", edition.code, f"chapter {chapter}",
                  action="update", actor=actor)
    return record


def scale_parse(text: str) -> list[dict]:
    """An assessment scale written one level per line, "code: label" ("a: Avance adecuado").
    Empty: no scale, as in every edition so far."""
    levels, seen = [], set()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, _sep, label = line.partition(":")
        code, label = code.strip(), label.strip()
        if not code or not label or len(code) > 20:
            raise ValidationError({"scale": _(
                "Write one level per line as “code: label”, for example “a: Avance adecuado”.")})
        if code in seen:
            raise ValidationError({"scale": _("Two levels have the code “%(code)s”.")
                                   % {"code": code}})
        seen.add(code)
        levels.append({"code": code, "label": label})
    return levels


@transaction.atomic
def edition_save(*, actor: User, request=None, data: dict,
                 edition: Edition | None = None) -> Edition:
    must(actor, "policy.manage")
    first, last = data.get("first_year"), data.get("last_year")
    if not first or not last or last < first:
        raise ValidationError({"last_year": _("The period goes from its first year to its "
                                              "last, such as 2025 to 2026.")})
    instrument = data.get("instrument") or (edition.instrument if edition else None)
    if instrument is None:
        raise ValidationError({"instrument": _("Choose the policy the edition follows.")})
    scale = data.get("scale", edition.scale if edition else [])
    if edition is not None and {lv["code"] for lv in edition.scale} - {
            lv["code"] for lv in scale} and edition.evidence.exclude(assessment="").exists():
        raise ValidationError({"scale": _(
            "Services are already assessed with levels this scale no longer has; keep those "
            "levels or change the assessments first.")})
    code = f"{first}-{last}"
    if Edition.objects.filter(code=code).exclude(pk=getattr(edition, "pk", None)).exists():
        raise ValidationError({"first_year": _("There is already an edition for %(code)s.")
                               % {"code": code}})
    record = edition or Edition()
    record.code, record.first_year, record.last_year = code, first, last
    record.instrument, record.scale = instrument, scale
    record.title = (data.get("title") or "").strip() or _(
        "Alternative report %(code)s") % {"code": code}
    record.published_on = data.get("published_on", record.published_on)
    record.save()
    section_event(request, "policy", "policy_edition", code,
                  action="create" if edition is None else "update", actor=actor)
    return record
