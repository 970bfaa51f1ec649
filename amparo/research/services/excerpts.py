"""The case team's excerpts of testimony for an approved study. One person of the case team
selects a passage and de-identifies it; it is saved only when nothing that identifies anyone is
left in it (names of anyone on the case, case codes, document and phone numbers, exact dates,
ages, places); a second person of the case team checks it before any researcher reads it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.cases.access import case_allows, case_for, cases_where, list_viewed
from amparo.cases.models import Episode, Note
from amparo.legal.models import Defendant
from amparo.legal.services import defendant_details
from amparo.research import deid, selectors
from amparo.research.models import Excerpt, Pseudonym, Study
from amparo.research.services import _research_id

MAX_EXCERPT = 4000
NOTE_PERMISSIONS = {"psychological": ("note.psychological.view", "psychologist"),
                    "legal": ("note.legal.view", "lawyer")}


def excerpt_sources(actor: User, study: Study, code: str, *, request=None) -> list[dict]:
    """The sealed texts of one case the actor may excerpt for the study, read through the access
    road: its accounts of what happened and its notes (psychological or legal ones only when
    the protocol allows them and the actor is that professional)."""
    if not can(actor, "research.excerpt") or not (study.approved and study.excerpts_allowed):
        raise PermissionDenied
    case = case_for(actor, code, "episodes", request=request)
    if not selectors.cohort(study, actor, "research.excerpt").filter(pk=case.pk).exists():
        raise ValidationError(_("This case is not in the study: it is outside the study's "
                                "period or its research consent is not in force."))
    texts = [{"source": "episodio", "id": str(e.pk), "label": e.get_kind_display(),
              "text": e.unseal("description")}
             for e in Episode.objects.filter(case=case).select_related("data_key")]
    for note in Note.objects.filter(case=case).select_related("data_key"):
        needed = NOTE_PERMISSIONS.get(note.sensitivity)
        if needed and not (study.professional_notes and case_allows(
                actor, case, needed[0], slot=needed[1])):
            continue
        texts.append({"source": "nota", "id": str(note.pk), "label": note.get_sensitivity_display(),
                      "text": note.unseal("text")})
    return [t for t in texts if t["text"].strip()]


def names_on_case(case) -> list[str]:
    """The names that must never reach a researcher: anyone on the case as recorded. Hers
    (and her alias), her contacts' and guardian's, the perpetrators' and defendants' (names and
    aliases), and the staff's of her team."""
    identity = case.person.identity
    names = [identity.given_names, identity.paternal_surname, identity.maternal_surname,
             identity.social_name, *deid.capitalised(identity.unseal("contacts"))]
    if case.guardian_sealed:
        names += deid.capitalised(case.unseal_guardian())
    for episode in Episode.objects.filter(case=case).select_related("data_key"):
        names += deid.review_words(episode.unseal("perpetrators"))
    for defendant in Defendant.objects.filter(proceeding__case=case).select_related("data_key"):
        details = defendant_details(defendant)
        names += [details["name"], details["alias"]]
    for member in (case.worker, case.psychologist, case.lawyer):
        if member is not None:
            names += [member.first_name, member.last_name]
    return [n for n in names if n]


def excerpt_preview(*, actor: User, request=None, study: Study, code: str,
                    passage: str) -> deid.Deidentified:
    """The passage with its names, places, dates and numbers tagged, for the actor to check.
    Nothing is stored."""
    excerpt_sources(actor, study, code, request=request)  # she may excerpt this case
    case = case_for(actor, code, "identity", request=request)
    return deid.deidentify(passage[:MAX_EXCERPT], names=names_on_case(case))


@transaction.atomic
def excerpt_add(*, actor: User, request=None, study: Study, code: str, source: str,
                source_id: str, text: str) -> Excerpt:
    """A passage the actor de-identified. It must come from one of the case's texts she may
    excerpt and hold nothing that identifies anyone; a second person checks it
    (`excerpt_check`) before any researcher reads it."""
    sources = {(t["source"], t["id"]): t for t in excerpt_sources(actor, study, code,
                                                                 request=request)}
    if (source, source_id) not in sources:
        raise ValidationError(_("Choose one of the case's texts shown."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the de-identified passage.")})
    if len(text) > MAX_EXCERPT:
        raise ValidationError({"text": _("An excerpt is at most %(n)s characters; choose a "
                                         "shorter passage.") % {"n": MAX_EXCERPT}})
    case = case_for(actor, code, "identity", request=request)
    left = deid.identifiers_left(text, names_on_case(case))
    if left:
        raise ValidationError({"text": _(
            "The passage still holds %(what)s: replace each with its tag ([NOMBRE], [CASO], "
            "[NÚMERO], [FECHA], [EDAD], [LUGAR]), as “De-identify” does.") % {
                "what": ", ".join(left)}})
    pseudonym = Pseudonym.objects.filter(study=study, case=case).first() or (
        Pseudonym.objects.create(study=study, case=case, research_id=_research_id(study)))
    tags = {tag: text.count(tag) for tag in deid.TAGS if tag in text}
    excerpt = Excerpt(study=study, pseudonym=pseudonym, source=source, source_id=source_id,
                      data_key=case.data_key, selected_by=actor, tags=tags)
    excerpt.seal("text", text)
    excerpt.save()
    event_record(action="create", request=request, actor=actor, object_type="case",
                 object_id=case.code, section="research", office=case.office,
                 reason=f"excerpt for study {study.code}, waits for a second person")
    return excerpt


def excerpts_to_check(actor: User, study: Study | None = None):
    """The excerpts waiting for a second person that this actor may check (of one study, or of
    every study): of cases she may excerpt herself, selected by someone else."""
    if not can(actor, "research.excerpt"):
        return Excerpt.objects.none()
    rows = Excerpt.objects.filter(study=study) if study is not None else Excerpt.objects.all()
    return (rows.filter(checked_at__isnull=True,
                        pseudonym__case__in=cases_where(actor, "research.excerpt"))
            .exclude(selected_by=actor).select_related("data_key", "selected_by",
                                                       "pseudonym__case"))


def excerpts_to_check_read(actor: User, study: Study, *, request=None, limit: int = 50
                           ) -> list[Excerpt]:
    """The excerpts waiting for this actor's check, to read on her page: the list writes one
    access event naming the cases it shows."""
    rows = list(excerpts_to_check(actor, study)[:limit])
    if rows:
        list_viewed(actor, sorted({e.pseudonym.case.code for e in rows}), request=request,
                    section="research")
    return rows


@transaction.atomic
def excerpt_check(*, actor: User, request=None, excerpt: Excerpt, approve: bool) -> None:
    """A second person of the case team lets the excerpt reach the study's researchers, or
    returns it (it is deleted; the one who selected it may make it again)."""
    case = excerpt.pseudonym.case
    if excerpt.selected_by_id == actor.pk:
        raise ValidationError(_("A second person of the case team checks the excerpt: not the "
                                "one who selected it."))
    if not case_allows(actor, case, "research.excerpt"):
        raise PermissionDenied
    if excerpt.checked_at is not None:
        raise ValidationError(_("This excerpt was already checked."))
    left = deid.identifiers_left(excerpt.text, names_on_case(case))
    if approve and left:
        raise ValidationError(_("The passage still holds %(what)s: return it.") % {
            "what": ", ".join(left)})
    if approve:
        excerpt.checked_by, excerpt.checked_at = actor, timezone.now()
        excerpt.save(update_fields=["checked_by", "checked_at"])
    else:
        excerpt.delete()
    event_record(action="update" if approve else "delete", request=request, actor=actor,
                 object_type="case", object_id=case.code, section="research", office=case.office,
                 reason=f"excerpt for study {excerpt.study.code} "
                        f"{'checked by a second person' if approve else 'returned'}")
