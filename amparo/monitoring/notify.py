"""Telling the coordinators at once when a change to a case opened a high alert (a threat
recorded at a follow-up, a high risk level): the inbox shows it, and an e-mail names the case's
code, the kind of alert and the link, never the survivor's name or what was written."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.services import event_record
from amparo.core.mail import mail_send
from amparo.monitoring.selectors import describe


def coordinators_of(office_id: int):
    return User.objects.filter(is_active=True, role_assignments__office_id=office_id,
                               role_assignments__role=Role.COORDINATOR).exclude(
        email="").distinct()


def high_alerts_tell(alerts) -> int:
    """One e-mail per coordinator of the cases' offices; returns how many were sent."""
    by_office = defaultdict(list)
    for alert in alerts:
        by_office[alert.case.office_id].append(alert)
    sent = 0
    today = timezone.localdate()
    for office_id, found in by_office.items():
        codes = sorted({a.case.code for a in found})
        with override("es"):
            lines = [_("A change to a case opened a high alert:"), ""]
            for alert in found:
                said = describe(alert, today)
                lines += [f"{alert.case.code} · {alert.get_kind_display()}",
                          f"    {said.text} {settings.AMPARO_BASE_URL}{said.url}"]
            subject = _("Amparo: high alert in %(codes)s") % {"codes": ", ".join(codes)}
        for coordinator in coordinators_of(office_id):
            # The codes leave by e-mail: the access log says whose mailbox they went to.
            event_record(action="view", actor=coordinator, object_type="case",
                         object_ids=codes, section="alert_mail")
            sent += mail_send(subject, "\n".join(lines), [coordinator.email])
    return sent
