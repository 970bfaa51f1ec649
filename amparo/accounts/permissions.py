"""The permission matrix: what each role may do, and over which cases.

This module is the one place where roles turn into permissions. Views, selectors and templates
ask `can()` or `scopes()`; none of them checks a role name. docs/roles.md is rendered from
`MATRIX` (`amparo roles --markdown`), and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role


class Scope(StrEnum):
    ASSIGNED = "assigned"  # cases the user is assigned to, in the offices where they hold the role
    OFFICE = "office"  # everything of the offices where they hold the role
    ALL = "all"  # every office


SCOPE_LABELS = {
    Scope.ASSIGNED: _("assigned cases"),
    Scope.OFFICE: _("own office"),
    Scope.ALL: _("all offices"),
}

CW, PSY, LAW, COORD = Role.CASEWORKER, Role.PSYCHOLOGIST, Role.LAWYER, Role.COORDINATOR
PREV, DIR, RES, ADMIN = Role.PREVENTION, Role.DIRECTOR, Role.RESEARCHER, Role.ADMIN
WATCH = Role.WATCHDOG
A, O, ALL = Scope.ASSIGNED, Scope.OFFICE, Scope.ALL  # noqa: E741 (the matrix reads as a table)
TEAM_ASSIGNED = {CW: A, PSY: A, LAW: A}


@dataclass(frozen=True)
class Permission:
    code: str
    label: Promise
    grants: dict[Role, Scope]


MATRIX: tuple[Permission, ...] = (
    Permission("case.view", _("See case files"), {**TEAM_ASSIGNED, COORD: O, DIR: ALL}),
    Permission(
        "identity.view", _("See survivors' identities"), {**TEAM_ASSIGNED, COORD: O, DIR: ALL}
    ),
    Permission("case.create", _("Register a new case"), {CW: O, PSY: O, LAW: O, COORD: O}),
    Permission("case.edit", _("Record in a case file"), {**TEAM_ASSIGNED, COORD: O}),
    Permission("case.assign", _("Assign cases and teams"), {COORD: O}),
    Permission("case.break_glass", _("In an emergency, read a case outside one's scope for a "
                                     "few hours, with a written reason (break the glass)"),
               {CW: O, PSY: O, LAW: O, COORD: O}),
    Permission("import.run", _("Import legacy spreadsheets of case records"), {COORD: O}),
    Permission("linkage.review", _("Import missing-person reports and decide on possible "
                                   "matches and duplicates"), {COORD: O}),
    Permission("plan.approve", _("Approve care plans"), {COORD: O}),
    Permission("case.close", _("Approve case closures"), {COORD: O}),
    Permission("note.psychological.view", _("Read psychological notes"), {PSY: A}),
    Permission("note.legal.view", _("Read legal notes"), {LAW: A}),
    Permission(
        "proceeding.view", _("Follow criminal proceedings"), {**TEAM_ASSIGNED, COORD: O, DIR: ALL}
    ),
    Permission("proceeding.edit", _("Edit criminal proceedings"), {LAW: A}),
    Permission("defendant.view", _("See defendants' details"), {LAW: A, COORD: O}),
    Permission(
        "referral.consent_override",
        _("Override a missing consent, with a written reason"),
        {COORD: O},
    ),
    Permission(
        "institution.view", _("Consult the institutions directory"),
        {CW: O, PSY: O, LAW: O, COORD: O, DIR: ALL, PREV: O, ADMIN: ALL},
    ),
    Permission(
        "institution.manage", _("Keep the institutions directory"), {COORD: O, ADMIN: ALL}
    ),
    Permission("alert.view", _("See case alerts"), {**TEAM_ASSIGNED, COORD: O, DIR: ALL}),
    Permission(
        "alert.manage", _("Acknowledge, snooze and resolve alerts"), {**TEAM_ASSIGNED, COORD: O}
    ),
    Permission("risk.assess", _("Record revictimisation-risk assessments"),
               {CW: A, PSY: A, COORD: O}),
    Permission("supervision.view", _("See the office's supervision dashboard"),
               {COORD: O, DIR: ALL}),
    Permission(
        "monitoring.configure", _("Edit alert rules and the risk instrument"), {ADMIN: ALL}
    ),
    Permission("statistics.view", _("See aggregate statistics"), {COORD: O, DIR: ALL, RES: ALL}),
    Permission("research.view", _("Use pseudonymised research data"), {RES: ALL, DIR: ALL}),
    Permission("research.approve", _("Approve research studies and the quotes they publish"),
               {DIR: ALL}),
    Permission("research.excerpt", _("Select and de-identify testimony excerpts for an approved "
                                     "study"), {**TEAM_ASSIGNED, COORD: O}),
    Permission("export.approve", _("Approve data exports"), {DIR: ALL}),
    Permission("prevention.manage", _("Record trainings and campaigns"), {PREV: O}),
    Permission("prevention.view", _("See prevention work"), {PREV: O, COORD: O, DIR: ALL}),
    Permission("policy.manage", _("Record the State's policy, evidence and information requests"),
               {WATCH: ALL, DIR: ALL}),
    Permission("policy.view", _("See the policy watchdog's work"), {WATCH: ALL, DIR: ALL}),
    Permission("results.view", _("See results and indicators"), {COORD: O, DIR: ALL}),
    Permission("results.manage", _("Keep results frameworks, targets and approve values"),
               {DIR: ALL}),
    Permission("audit.view", _("Read the access log"), {COORD: O, DIR: ALL, ADMIN: ALL}),
    Permission("user.manage", _("Manage users and their roles"), {ADMIN: ALL}),
    Permission("role.approve", _("Approve roles that read case content"),
               {DIR: ALL, ADMIN: ALL}),
    Permission("office.manage", _("Manage offices"), {ADMIN: ALL}),
    Permission("reference.manage", _("Manage reference data"), {ADMIN: ALL}),
    Permission("reference.view", _("Consult reference data"), dict.fromkeys(Role, ALL)),
)
PERMISSIONS = {p.code: p for p in MATRIX}


@dataclass(frozen=True)
class Grant:
    role: Role
    office_id: int | None


def grants(user) -> list[Grant]:
    """The user's roles, read once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_amparo_grants", None)
    if cached is None:
        cached = [
            Grant(Role(role), office_id)
            for role, office_id in user.role_assignments.values_list("role", "office_id")
        ]
        user._amparo_grants = cached
    return cached


def scopes(user, code: str) -> list[tuple[Scope, int | None]]:
    """Each (scope, office id) under which the user holds the permission; office is None for
    organisation-wide roles."""
    permission = PERMISSIONS[code]
    return [
        (permission.grants[g.role], g.office_id) for g in grants(user)
        if g.role in permission.grants
    ]


def can(user, code: str, office_id: int | None = None) -> bool:
    """Whether the user holds the permission at all, or for one office when given. For the
    `assigned` scope this says only that the role allows it; the case selectors check the
    assignment."""
    for scope, granted_office in scopes(user, code):
        if office_id is None or scope == Scope.ALL or granted_office == office_id:
            return True
    return False


def must(user, code: str, office_id: int | None = None) -> None:
    """`can`, for a service: PermissionDenied when the user may not do `code` (there)."""
    if not can(user, code, office_id):
        raise PermissionDenied


def offices_for(user, code: str) -> set[int] | None:
    """Offices in which the user holds the permission; None means every office."""
    offices: set[int] = set()
    for scope, office_id in scopes(user, code):
        if scope == Scope.ALL:
            return None
        offices.add(office_id)
    return offices


def render_markdown() -> str:
    """docs/roles.md, from the matrix. English: the docs are for developers and operators."""
    roles = list(Role)
    lines = [
        "# Roles and permissions",
        "",
        "Generated from `amparo/accounts/permissions.py` by `amparo roles --markdown`; do not edit",
        "by hand (a test fails when this file and the code differ).",
        "",
        "Scopes: **assigned** = the cases the user is assigned to, in the offices where the user",
        "holds the role; **office** = everything of those offices; **all** = every office.",
        "Office roles are held per office; director, researcher, policy watchdog and administrator",
        "hold for the whole organisation.",
        "",
        "| permission | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for p in MATRIX:
        cells = [p.grants.get(r, "—") for r in roles]
        label = str(p.label)
        lines.append(f"| `{p.code}` {label} | " + " | ".join(str(c) for c in cells) + " |")
    lines += ["", "## What an administrator can do to other accounts, and who else must agree",
              "", "No one person alone can give herself or anyone else a way in to survivors' "
              "data. The administrator", "holds no permission over cases; each power she has "
              "over another account is listed here,", "with the second person it needs and "
              "who is told (`accounts/changes.py`, `accounts/services.py`,",
              "`api/tokens.py`).", "",
              "| the administrator… | alone? | the second person | the person is told |",
              "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in ADMIN_POWERS]
    return "\n".join(lines) + "\n"


ADMIN_POWERS = [
    ("creates an account", "yes, with roles that read no case content", "—",
     "she receives her initial password in private"),
    ("gives a role that reads case content (caseworker, psychologist, lawyer, coordinator, "
     "director, researcher)", "no: it is asked for and not held until approved",
     "a director who neither asked nor would hold it", "—"),
    ("gives the administrator role", "no", "another administrator", "—"),
    ("takes a role away", "yes (never the last active administrator)", "—", "—"),
    ("changes her own roles", "never", "another administrator asks; a director approves", "—"),
    ("changes someone else's e-mail address (where a password reset goes)", "no",
     "both the old and the new address confirm by the links sent to them, or a director "
     "approves", "both addresses, when asked and when done"),
    ("resets the second factor of someone who holds a role that reads case content or "
     "administers", "no", "a director who neither asked nor is the person",
     "by e-mail, when asked and when done"),
    ("resets the second factor of anyone else (prevention, watchdog)",
     "yes, with her own fresh second factor", "—", "by e-mail"),
    ("makes an API token", "only one that acts as herself, or as a service account",
     "the service account's roles were approved like a person's (a director; another "
     "administrator for the administrator role)", "—"),
    ("makes a service account (an integration: no password, no e-mail, never signs in)",
     "yes; its roles that read case content wait", "a director", "—"),
    ("deactivates or reactivates an account", "yes: sessions end at once; the reason is "
     "sealed", "—", "—"),
    ("revokes a token or a calendar address", "yes", "—", "—"),
    ("reads a case, or breaks the glass", "never: the role has no permission over cases", "—",
     "—"),
    ("runs `amparo token create` or `amparo createuser` on the server", "the server's "
     "operator holds the database and the key ring: outside the application's rule, and "
     "audited as `(command)`", "the organisation's own control of the server",
     "a person is told of a token that acts as her"),
]
