"""The daily e-mail: each user's open alerts, newest first within severity. E-mail leaves our
servers, so the body names case codes, alert types, dates and links, never a survivor's name
or a comment."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.accounts.models import User
from amparo.audit.services import event_record
from amparo.monitoring.models import Digest
from amparo.monitoring.selectors import describe, inbox

LISTED = 40


def digest_send(today: date | None = None, *, send=None) -> int:
    """Send each active user with an e-mail address and open alerts one message a day. Returns
    how many were sent; running it again the same day sends nothing."""
    send = send or send_mail
    today = today or timezone.localdate()
    done = Digest.objects.filter(sent_on=today).values("user_id")
    sent = 0
    for user in User.objects.filter(is_active=True).exclude(email="").exclude(pk__in=done):
        alerts = inbox(user, status="abiertas")
        total = alerts.count()
        if not total:
            continue
        listed = list(alerts[:LISTED])
        with override("es"):
            subject, body = _compose(user, listed, total, today)
        try:
            with transaction.atomic():
                Digest.objects.create(user=user, sent_on=today, alerts=total)
                # The codes leave by e-mail: the log says whose inbox they went to.
                event_record(action="view", actor=user, object_type="case",
                             object_ids=sorted({a.case.code for a in listed}), section="digest")
                send(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


def _compose(user, alerts, total: int, today: date) -> tuple[str, str]:
    yesterday = timezone.now() - timedelta(days=1)
    new = sum(1 for a in alerts if a.opened_at >= yesterday)
    subject = _("Amparo: %(n)s open alerts (%(new)s new)") % {"n": total, "new": new}
    lines = [_("Open alerts of your cases, most serious first:"), ""]
    fresh = " · " + _("new")
    for alert in alerts:
        said = describe(alert, today)
        lines.append(f"[{alert.get_severity_display()}] {alert.case.code} · "
                     f"{alert.get_kind_display()}{fresh if alert.opened_at >= yesterday else ''}")
        lines.append(f"    {said.text} {settings.AMPARO_BASE_URL}{said.url}")
    if total > len(alerts):
        lines.append(_("…and %(n)s more.") % {"n": total - len(alerts)})
    lines += ["", _("See and act on them in your inbox: %(url)s") % {
        "url": settings.AMPARO_BASE_URL + reverse("monitoring:inbox")}]
    return subject, "\n".join(lines)
