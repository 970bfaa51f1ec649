"""Sending a notice by e-mail. E-mail leaves our servers: what is sent names case codes, kinds
and links, never a survivor's name or what was written about her."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail


def mail_send(subject: str, body: str, to: list[str]) -> bool:
    """Send a notice; a mail server that is down is logged, never an error for what was already
    done and committed (the change stands; the access log has it)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except (OSError, SMTPException) as error:
        logging.getLogger(__name__).warning("e-mail not sent (%s): %s", subject,
                                            type(error).__name__)
        return False
    return True
