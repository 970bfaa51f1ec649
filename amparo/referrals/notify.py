"""Reminder e-mails about referrals nobody answered. One message per referrer; the body names
case codes, institutions and links, never a survivor's name (e-mail leaves our servers)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.referrals.models import Referral


def reminders_send(referrals: list[Referral], *, send=None) -> list[Referral]:
    send = send or send_mail
    by_user: dict = defaultdict(list)
    for referral in referrals:
        if referral.referred_by.email:
            by_user[referral.referred_by].append(referral)
    done: list[Referral] = []
    for user, items in by_user.items():
        with override("es"):
            lines = [_("These referrals have had no answer yet:"), ""]
            for r in items:
                link = settings.AMPARO_BASE_URL + reverse("referrals:case", args=[r.case.code])
                lines.append(_("%(code)s: %(institution)s, sent on %(date)s. %(link)s") % {
                    "code": r.case.code, "institution": r.institution, "link": link,
                    "date": r.referred_on.strftime("%d/%m/%Y")})
            lines += ["", _("Call the institution and record its answer in the case.")]
            send(_("Amparo: referrals without an answer"), "\n".join(lines),
                 settings.DEFAULT_FROM_EMAIL, [user.email])
        done.extend(items)
    return done
