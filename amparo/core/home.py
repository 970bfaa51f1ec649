"""What the home page is made of: to-do blocks that each app registers for itself (from its
AppConfig.ready(), as it registers its menus), so that neither `core` nor `home` knows which
apps there are. The `home` app asks every block whether it shows for the person looking and
draws those that do, in order.

A block is one thing to do: a title, how many, the first few lines (each linking to where the
work is done) and where to see them all. Every list is within the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.functional import Promise

from amparo.accounts.permissions import Scope, can, scopes

LIST_LIMIT = 8  # lines on the home page; "see all" opens the block's whole list
FULL_LIMIT = 500  # lines on a block's own page


@dataclass
class Line:
    code: str  # a case's code, or "" (the home view records the codes shown as one read)
    text: str
    url: str
    when: date | None = None
    severity: int = 0


@dataclass
class Block:
    key: str
    title: Promise
    empty: Promise
    lines: list[Line] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more_label: Promise | None = None
    order: Promise | None = None  # how the lines are ordered, said under the title


@dataclass
class Who:
    """The person looking and the day: what her roles make her (worked out once per page)."""

    user: object
    today: date
    limit: int = LIST_LIMIT

    def can(self, code: str) -> bool:
        return can(self.user, code)

    def office_wide(self, code: str) -> bool:
        """Whether she sees `code` across an office or all of them (not only her own cases)."""
        return any(s in (Scope.OFFICE, Scope.ALL) for s, _o in scopes(self.user, code))

    @cached_property
    def coordinates(self) -> bool:
        """A coordinator (or a director): she approves plans and watches the office's cases."""
        return self.can("plan.approve")

    @cached_property
    def accompanies(self) -> bool:
        """She accompanies her own cases (a caseworker, psychologist or lawyer)."""
        return (self.can("case.view") and not self.coordinates
                and not self.office_wide("case.view"))


@dataclass(frozen=True)
class HomeBlock:
    """`shows(who)`: whether the block is on her home; `build(who)`: the block; `order(who)`:
    where it goes (lower first), so that each role's home leads with its own work."""

    key: str
    shows: Callable[[Who], bool]
    build: Callable[[Who], Block]
    order: Callable[[Who], int]


_BLOCKS: dict[str, HomeBlock] = {}


def home_block_register(*blocks: HomeBlock) -> None:
    """Add blocks to the home page (once however often an app is made ready)."""
    for block in blocks:
        _BLOCKS[block.key] = block


def home_blocks_for(who: Who) -> list[Block]:
    shown = sorted((b for b in _BLOCKS.values() if b.shows(who)), key=lambda b: b.order(who))
    return [b.build(who) for b in shown]


def home_block_for(key: str, who: Who) -> Block | None:
    """One block with its whole list (up to FULL_LIMIT lines), if it shows for her."""
    block = _BLOCKS.get(key)
    if block is None or not block.shows(who):
        return None
    who.limit = FULL_LIMIT
    return block.build(who)


def at(position: int) -> Callable[[Who], int]:
    """The same place on every home."""
    return lambda who: position
