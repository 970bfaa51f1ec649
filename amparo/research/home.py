"""The research blocks on a home: protocols waiting for the director's approval; for a
researcher, checked excerpts she has not coded; for the case team, excerpts selected by a
colleague that wait for a second person's check. Counts and study codes, never a case."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.home import Block, HomeBlock, Line, Who, at
from amparo.research.selectors import (
    excerpts_to_code,
    protocols_waiting,
    studies_taking_excerpts,
)
from amparo.research.services.excerpts import excerpts_to_check


def protocols(who: Who) -> Block:
    rows = protocols_waiting()
    block = Block("protocols", _("Research protocols waiting for your approval"),
                  _("No protocol is waiting."), more_url=reverse("research:index"))
    block.total = rows.count()
    for study in rows[:who.limit]:
        block.lines.append(Line("", f"{study.code} · {study.title}",
                                reverse("research:study", args=[study.pk])))
    return block


def to_code(who: Who) -> Block:
    block = Block("coding", _("Excerpts for you to code"), _("No excerpt is waiting for you."),
                  more_url=reverse("research:index"))
    block.total = excerpts_to_code(who.user).count()
    return block


def to_check(who: Who) -> Block:
    """One count per study, read at once (no query per study)."""
    waiting = (excerpts_to_check(who.user).filter(study__in=studies_taking_excerpts())
               .order_by().values("study", "study__code", "study__title")
               .annotate(n=Count("pk")).order_by("study__code"))
    block = Block("excerpt_checks", _("Excerpts waiting for your check"),
                  _("No excerpt is waiting for a second person."),
                  more_url=reverse("research:excerpts"))
    rows = list(waiting)
    block.total = sum(row["n"] for row in rows)
    block.lines = [Line("", f"{row['study__code']} · {row['study__title']} · {row['n']}",
                        reverse("research:excerpt_case", args=[row["study"]]))
                   for row in rows[:who.limit]]
    return block


HOME_BLOCKS = (
    HomeBlock("protocols", lambda who: who.can("research.approve"), protocols, at(95)),
    HomeBlock("coding", lambda who: who.can("research.view") and not who.can(
        "research.approve"), to_code, at(50)),
    HomeBlock("excerpt_checks", lambda who: who.can("research.excerpt"), to_check, at(85)),
)
