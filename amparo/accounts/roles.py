"""The roles of the architecture page. Office roles are held per office; organisation roles
apply to every office."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    LAWYER = "lawyer", _("Lawyer")
    COORDINATOR = "coordinator", _("Office coordinator")
    PREVENTION = "prevention", _("Prevention")
    DIRECTOR = "director", _("Director")
    RESEARCHER = "researcher", _("Researcher")
    WATCHDOG = "watchdog", _("Policy watchdog")
    ADMIN = "admin", _("Administrator")


ORGANISATION_ROLES = frozenset({Role.DIRECTOR, Role.RESEARCHER, Role.WATCHDOG, Role.ADMIN})
OFFICE_ROLES = frozenset(set(Role) - ORGANISATION_ROLES)

# Roles whose holder reads survivors' case content. Giving one (or the administrator role, which
# gives roles) needs a second person's approval: see accounts.services.grant_decide.
CONTENT_ROLES = frozenset({Role.CASEWORKER, Role.PSYCHOLOGIST, Role.LAWYER, Role.COORDINATOR,
                           Role.DIRECTOR, Role.RESEARCHER})
APPROVED_ROLES = CONTENT_ROLES | {Role.ADMIN}
