"""The main navigation, built from the permission matrix: a role sees only what it may use.

Items are grouped in menus so that the whole navigation fits a laptop (from 992 px) without a
toggler; a group of which the user may use one item only shows as that item."""

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

    def allowed(self, user) -> bool:
        return self.permission is None or can(user, self.permission)


@dataclass(frozen=True)
class NavGroup:
    label: Promise
    items: tuple[NavItem, ...]


@dataclass(frozen=True)
class NavEntry:
    """What the layout draws: a link, or a menu of links (`items`)."""

    label: Promise
    url: str = ""
    items: tuple[NavItem, ...] = ()
    active: bool = False


MAIN = (
    NavItem(_("Home"), "home"),
    NavItem(_("Alerts"), "monitoring:inbox", "alert.view"),
    NavGroup(_("Cases"), (
        NavItem(_("Cases"), "cases:list", "case.view"),
        NavItem(_("Referrals"), "referrals:office", "case.view"),
        NavItem(_("Institutions"), "referrals:institutions", "institution.view"),
        NavItem(_("Emergency access"), "cases:glass", "case.break_glass"),
    )),
    NavGroup(_("Justice"), (
        NavItem(_("Proceedings"), "legal:office", "proceeding.view"),
        NavItem(_("Hearings and deadlines"), "legal:calendar", "proceeding.view"),
    )),
    NavGroup(_("Prevention"), (
        NavItem(_("Prevention"), "prevention:dashboard", "prevention.view"),
        NavItem(_("Activities"), "prevention:activities", "prevention.view"),
        NavItem(_("Activity calendar"), "prevention:calendar", "prevention.view"),
        NavItem(_("Participants to review"), "prevention:review", "prevention.manage"),
    )),
    NavGroup(_("Watchdog"), (
        NavItem(_("Summary"), "policy:dashboard", "policy.view"),
        NavItem(_("Services of the policy"), "policy:services", "policy.view"),
        NavItem(_("Information requests"), "policy:requests", "policy.view"),
        NavItem(_("Regional instruments"), "policy:instruments", "policy.view"),
    )),
    NavGroup(_("Office"), (
        NavItem(_("Results"), "results:index", "results.view"),
        NavItem(_("Research studies"), "research:index", "research.view"),
        NavItem(_("Excerpts for research"), "research:excerpts", "research.excerpt"),
        NavItem(_("Supervision"), "monitoring:supervision", "supervision.view"),
        NavItem(_("Emergency accesses"), "cases:glass_log", "supervision.view"),
        NavItem(_("Import"), "imports:runs", "import.run"),
        NavItem(_("Matches"), "linkage:queue", "linkage.review"),
    )),
    NavGroup(_("Administration"), (
        NavItem(_("Users"), "accounts:users", "user.manage"),
        NavItem(_("Roles to approve"), "accounts:grants", "role.approve"),
        NavItem(_("API tokens"), "tokens:list", "user.manage"),
        NavItem(_("Offices"), "accounts:offices", "office.manage"),
        NavItem(_("Access log"), "audit:events", "audit.view"),
        NavItem(_("Reference data"), "reference:vocabularies", "reference.view"),
    )),
)


def navigation_for(user, path: str = "") -> list[NavEntry]:
    if not user.is_authenticated:
        return []
    entries = []
    for entry in MAIN:
        if isinstance(entry, NavItem):
            if entry.allowed(user):
                entries.append(NavEntry(entry.label, entry.url, active=path == entry.url))
            continue
        items = tuple(item for item in entry.items if item.allowed(user))
        if len(items) == 1:
            entries.append(NavEntry(items[0].label, items[0].url, active=path == items[0].url))
        elif items:
            entries.append(NavEntry(entry.label, items=items,
                                    active=any(path == item.url for item in items)))
    return entries
