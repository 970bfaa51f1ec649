"""iCalendar (RFC 5545) for the hearings and deadlines feed, written by hand: the format is
small, and what goes into it must be exactly what we choose (codes, never names)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

PRODID = "-//Amparo//Audiencias y plazos//ES"


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render(items, *, base_url: str, language: str = "es") -> str:
    """The feed in `language` (calendar apps send no session, so Spanish unless told)."""
    with override(language):
        return _render(items, base_url)


def _render(items, base_url: str) -> str:
    stamp = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Amparo", "X-PUBLISHED-TTL:PT1H"]
    for item in items:
        link = base_url + reverse("legal:proceeding", args=[item.case_code, item.proceeding_id])
        lines += ["BEGIN:VEVENT", f"UID:{item.uid}", f"DTSTAMP:{stamp}"]
        if item.kind == "hearing":
            lines += [f"DTSTART:{_utc(item.starts)}",
                      f"DTEND:{_utc(item.starts + timedelta(hours=1))}",
                      "SUMMARY:" + escape(_("Hearing %(code)s: %(title)s")
                                          % {"code": item.case_code, "title": item.title})]
            if item.where:
                lines.append(f"LOCATION:{escape(item.where)}")
            if item.must_attend:
                lines.append("DESCRIPTION:" + escape(_("She must attend.")))
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D",
                      "DESCRIPTION:" + escape(_("Hearing %(code)s tomorrow")
                                              % {"code": item.case_code}),
                      "END:VALARM"]
        else:
            day: date = item.starts
            lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                      "SUMMARY:" + escape(_("Deadline %(code)s: %(title)s")
                                          % {"code": item.case_code, "title": item.title}),
                      "TRANSP:TRANSPARENT"]
        lines += [f"URL:{link}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))
