"""The main navigation, built from the permission matrix: a role sees only what it may use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.accounts.permissions import can


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    permission: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MAIN = (
    NavItem(_("Home"), "home"),
    NavItem(_("Alerts"), "monitoring:inbox", "alert.view"),
    NavItem(_("Cases"), "cases:list", "case.view"),
    NavItem(_("Proceedings"), "legal:office", "proceeding.view"),
    NavItem(_("Hearings and deadlines"), "legal:calendar", "proceeding.view"),
    NavItem(_("Referrals"), "referrals:office", "case.view"),
    NavItem(_("Institutions"), "referrals:institutions", "institution.view"),
    NavItem(_("Supervision"), "monitoring:supervision", "supervision.view"),
    NavItem(_("Import"), "imports:runs", "import.run"),
    NavItem(_("Matches"), "linkage:queue", "linkage.review"),
    NavItem(_("Users"), "accounts:users", "user.manage"),
    NavItem(_("Offices"), "accounts:offices", "office.manage"),
    NavItem(_("Access log"), "audit:events", "audit.view"),
    NavItem(_("Reference data"), "reference:vocabularies", "reference.view"),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in MAIN if item.permission is None or can(user, item.permission)]
