"""Breaking the glass: emergency, read-only access to a case outside one's scope.

A caseworker in Cusco at ten at night, with a girl registered in Lima in front of her and the
Lima team unreachable, must be able to read her file. She writes why; the access lasts a few
hours; the Lima coordinators and the directors are told at once by e-mail (case code, who, until
when: never the reason, which is sealed, nor the girl's name); every page she opens is audited
as usual and names the emergency access; a supervisor reviews it afterwards."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.accounts.models import User
from amparo.accounts.permissions import can, offices_for
from amparo.accounts.roles import Role
from amparo.audit.services import event_record
from amparo.cases.access import case_allows, glass_cases
from amparo.cases.models import BreakGlass, Case
from amparo.core.mail import mail_send

MAX_HOURS = 12
MIN_REASON = 20  # characters: a sentence, not "urgente"
MAX_OPEN = 3  # at once: an emergency is one girl, not a trawl through the register
# Opened, ended early or not: ending one does not give a slot back.
MAX_PER_DAY = 3
MAX_PER_WEEK = 5
# More cases or offices than this in seven days is a pattern the directors are told of.
PATTERN_CASES = 3
PATTERN_OFFICES = 2
HISTORY_DAYS = 90  # the person's own history shown beside each access to review


@transaction.atomic
def glass_break(*, actor: User, request=None, code: str, reason: str, hours: int) -> BreakGlass:
    if not can(actor, "case.break_glass"):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if len(reason) < MIN_REASON:
        errors["reason"] = _("Write why you need this case now, in a sentence or two (at least "
                             "%(n)s characters): a coordinator will read it.") % {"n": MIN_REASON}
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = _("Choose from 1 to %(n)s hours.") % {"n": MAX_HOURS}
    case = Case.objects.select_related("office", "data_key").filter(
        code=(code or "").strip().upper()).first()
    if case is None:
        errors["code"] = _("No case has this code. Check it with whoever gave it to you (it "
                           "looks like LIM-2024-0012).")
    elif case.pk in glass_cases(actor):
        errors["code"] = _("You already hold an emergency access to this case.")
    elif len(glass_cases(actor)) >= MAX_OPEN:
        errors["code"] = _("You already hold %(n)s emergency accesses; end one before opening "
                           "another, or ask the case's coordinator.") % {"n": MAX_OPEN}
    elif (limit := _limit_reached(actor)):
        errors["code"] = limit
    elif case_allows(actor, case, "case.view"):
        errors["code"] = _("You can already open this case; no emergency access is needed.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    glass = BreakGlass(case=case, user=actor, data_key=case.data_key,
                       until=now + timedelta(hours=hours), reason=reason)
    glass.save()
    until = _latest_until(actor)
    User.objects.filter(pk=actor.pk).update(glass_until=until)
    actor.glass_until, actor._glass_cases = until, None  # this request sees it too
    event_record(action="break_glass", request=request, actor=actor, object_type="case",
                 object_id=case.code, section="summary", office=case.office,
                 reason=f"break_glass {glass.pk}: {hours} h; reason sealed in it")
    transaction.on_commit(lambda: glass_notify(glass))
    cases, offices, pattern = glass_week(BreakGlass.objects.filter(
        user=actor, opened_at__gte=now - timedelta(days=7)).select_related("case"))
    if pattern:
        event_record(action="break_glass", request=request, actor=actor, object_type="user",
                     object_id=str(actor.pk), section="summary",
                     reason=f"pattern: {cases} cases in {offices} offices in 7 days")
        transaction.on_commit(lambda: glass_pattern_notify(actor, cases, offices))
    return glass


def glass_week(accesses) -> tuple[int, int, bool]:
    """Of one person's emergency accesses (`case` loaded), the cases and offices she opened in
    the last 7 days, and whether that many is a pattern the directors are told of."""
    since = timezone.now() - timedelta(days=7)
    recent = [g for g in accesses if g.opened_at >= since]
    cases, offices = len({g.case_id for g in recent}), len({g.case.office_id for g in recent})
    return cases, offices, cases > PATTERN_CASES or offices > PATTERN_OFFICES


def _limit_reached(user: User) -> str:
    """The refusal when the person already opened as many as a day or a week allows, counting
    those she ended early: an emergency is rare, not a way to read a register one by one."""
    now = timezone.now()
    opened = BreakGlass.objects.filter(user=user, opened_at__gte=now - timedelta(days=7)).aggregate(
        day=Count("pk", filter=Q(opened_at__gte=now - timedelta(days=1))), week=Count("pk"))
    if opened["day"] >= MAX_PER_DAY:
        return _("You opened %(n)s emergency accesses in the last 24 hours, the most allowed. "
                 "Ask the case's coordinator, or a director, to open the file for you.") % {
                     "n": MAX_PER_DAY}
    if opened["week"] >= MAX_PER_WEEK:
        return _("You opened %(n)s emergency accesses in the last 7 days, the most allowed. "
                 "Ask the case's coordinator, or a director, to open the file for you.") % {
                     "n": MAX_PER_WEEK}
    return ""


def glass_pattern_notify(user: User, cases: int, offices: int) -> int:
    """Tell the directors that one person broke the glass on many cases or offices this week.
    Who and how many, never a reason or a name of a survivor."""
    link = settings.AMPARO_BASE_URL + reverse("cases:glass_log")
    sent = 0
    for director in User.objects.filter(role_assignments__role=Role.DIRECTOR, is_active=True
                                        ).exclude(pk=user.pk).exclude(email="").distinct():
        with override("es"):
            sent += mail_send(_("Amparo: emergency accesses to look at"), "\n".join([
                _("%(user)s broke the glass on %(cases)s cases in %(offices)s offices in the "
                  "last 7 days.") % {"user": user.display_name, "cases": cases,
                                     "offices": offices},
                "", _("See each reason and her history here: %(link)s") % {"link": link}]),
                [director.email])
    return sent


def _latest_until(user: User):
    return (BreakGlass.objects.filter(user=user, ended_at__isnull=True,
                                      until__gt=timezone.now())
            .order_by("-until").values_list("until", flat=True).first())


@transaction.atomic
def glass_end(*, actor: User, request=None, glass: BreakGlass) -> None:
    """The user closes her emergency access before it runs out."""
    if glass.user_id != actor.pk:
        raise PermissionDenied
    if glass.ended_at is None and glass.until > timezone.now():
        BreakGlass.objects.filter(pk=glass.pk).update(ended_at=timezone.now())
        User.objects.filter(pk=actor.pk).update(glass_until=_latest_until(actor))
        event_record(action="update", request=request, actor=actor, object_type="case",
                     object_id=glass.case.code, section="summary", office=glass.case.office,
                     reason=f"break_glass {glass.pk} ended early")


def glass_reviewers(case: Case) -> list[User]:
    """The office's coordinators and the directors: who is told, and who reviews."""
    return list(User.objects.filter(
        Q(role_assignments__role=Role.COORDINATOR, role_assignments__office=case.office_id)
        | Q(role_assignments__role=Role.DIRECTOR), is_active=True).distinct())


def glass_notify(glass: BreakGlass, *, send=None) -> int:
    """E-mail each reviewer at once. E-mail leaves our servers: case code, who and until when,
    never the reason or the survivor's name."""
    send = send or send_mail
    sent = 0
    link = settings.AMPARO_BASE_URL + reverse("cases:glass_log")
    for reviewer in glass_reviewers(glass.case):
        if not reviewer.email:
            continue
        with override("es"):
            until = timezone.localtime(glass.until).strftime("%d/%m/%Y %H:%M")
            body = "\n".join([
                _("%(user)s broke the glass: an emergency access to case %(code)s, which is out "
                  "of their scope, until %(until)s.") % {
                    "user": glass.user.display_name, "code": glass.case.code, "until": until},
                "",
                _("Read the reason they wrote and review it here: %(link)s") % {"link": link},
                _("If you do not recognise it, call them and the administrator now."),
            ])
            send(_("Amparo: emergency access to case %(code)s") % {"code": glass.case.code},
                 body, settings.DEFAULT_FROM_EMAIL, [reviewer.email])
        sent += 1
    return sent


def glass_visible(user: User):
    """The emergency accesses a supervisor reviews: those to the cases of the offices she
    supervises (every office for a director). Never through a case she reached by breaking the
    glass herself: the case's own office reviews."""
    if not can(user, "supervision.view"):
        raise PermissionDenied
    offices = offices_for(user, "supervision.view")
    found = BreakGlass.objects.all()
    return found if offices is None else found.filter(case__office_id__in=offices)


def glass_history(rows: list[BreakGlass]) -> list[BreakGlass]:
    """The accesses to review, each with the person's own accesses of the last HISTORY_DAYS
    (`history`), her week (`week_cases`, `week_offices`) and whether it is a `pattern`: one
    query for all the people on the page."""
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    history: dict[int, list[BreakGlass]] = {}
    for glass in BreakGlass.objects.filter(
            user_id__in={g.user_id for g in rows}, opened_at__gte=since).select_related(
            "case__office").order_by("-opened_at"):
        history.setdefault(glass.user_id, []).append(glass)
    for glass in rows:
        glass.history = history.get(glass.user_id, [])
        glass.week_cases, glass.week_offices, glass.pattern = glass_week(glass.history)
    return rows


@transaction.atomic
def glass_review(*, actor: User, request=None, glass: BreakGlass, note: str) -> BreakGlass:
    if not glass_visible(actor).filter(pk=glass.pk).exists():
        raise PermissionDenied
    if glass.user_id == actor.pk:
        raise ValidationError(_("Someone else reviews your own emergency access."))
    if glass.reviewed_at is not None:
        raise ValidationError(_("This emergency access was already reviewed."))
    glass.data_key = glass.case.data_key
    glass.review_note = (note or "").strip()
    glass.reviewed_by, glass.reviewed_at = actor, timezone.now()
    glass.save(update_fields=["reviewed_by", "reviewed_at", "review_note_sealed"])
    event_record(action="update", request=request, actor=actor, object_type="case",
                 object_id=glass.case.code, section="summary", office=glass.case.office,
                 reason=f"break_glass {glass.pk} reviewed")
    return glass
