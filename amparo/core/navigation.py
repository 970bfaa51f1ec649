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
    label: Promise | None
    items: tuple[NavItem, ...]


@dataclass(frozen=True)
class NavEntry:
    """What the layout draws: a link, or a menu of links (`items`)."""

    label: Promise
    url: str = ""
    items: tuple[NavItem, ...] = ()
    active: bool = False


# The menus, in the order the bar shows them; a slot without a label is a plain link (its one
# item). Each app registers its own entries (`menu_register`, from its AppConfig.ready()):
# core names no app.
SLOTS = (
    ("home", None), ("alerts", None), ("cases", _("Cases")), ("justice", _("Justice")),
    ("prevention", _("Prevention")), ("watchdog", _("Watchdog")), ("office", _("Office")),
    ("admin", _("Administration")),
)
_REGISTERED: dict[str, list[tuple[int, NavItem]]] = {slot: [] for slot, _label in SLOTS}


def menu_register(slot: str, position: int, *items: NavItem) -> None:
    """Put `items` in the menu `slot` at `position` (lower first), once however often an app
    is made ready."""
    entries = _REGISTERED[slot]
    for offset, item in enumerate(items):
        if all(existing.url_name != item.url_name for _p, existing in entries):
            entries.append((position + offset, item))
    entries.sort(key=lambda entry: entry[0])


def menus() -> tuple[NavGroup, ...]:
    return tuple(NavGroup(label, tuple(item for _p, item in _REGISTERED[slot]))
                 for slot, label in SLOTS)


def navigation_for(user, path: str = "") -> list[NavEntry]:
    if not user.is_authenticated:
        return []
    entries = []
    for entry in menus():
        items = tuple(item for item in entry.items if item.allowed(user))
        if len(items) == 1 or (items and entry.label is None):
            entries.append(NavEntry(items[0].label, items[0].url, active=path == items[0].url))
        elif items:
            entries.append(NavEntry(entry.label, items=items,
                                    active=any(path == item.url for item in items)))
    return entries
