"""The approvals block on a director's home: roles and account changes (a new e-mail, a second
factor reset) that wait for a second person."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from amparo.accounts.selectors import changes_to_decide, grants_to_decide
from amparo.core.home import Block, HomeBlock, Line, Who, at


def roles_to_approve(who: Who) -> Block:
    block = Block("grants", _("Roles waiting for your approval"),
                  _("No role is waiting for your approval."),
                  more_url=reverse("accounts:grants"), more_label=_("Decide on them"))
    block.total = grants_to_decide(who.user).count()
    changes = changes_to_decide(who.user).count()
    if changes:
        block.total += changes
        block.lines.append(Line("", ngettext(
            "%(n)s account change (e-mail, second factor)",
            "%(n)s account changes (e-mail, second factor)", changes) % {"n": changes},
            reverse("accounts:grants")))
    return block


HOME_BLOCKS = (HomeBlock("grants", lambda who: who.can("role.approve"), roles_to_approve,
                         at(100)),)
