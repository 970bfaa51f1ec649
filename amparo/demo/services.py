"""The demo organisation's people: the team an office really has (several caseworkers,
psychologists and lawyers, 20–40 open cases per caseworker), with fictitious names."""

import random

from django.conf import settings
from django.db import transaction

from amparo.accounts.models import Office, User
from amparo.accounts.roles import ORGANISATION_ROLES, Role
from amparo.accounts.services import user_create
from amparo.demo import synthetic as syn

OFFICE_ROLES_IN_DEMO = [
    Role.COORDINATOR, Role.CASEWORKER, Role.PSYCHOLOGIST, Role.LAWYER, Role.PREVENTION,
]
# Fictitious staff names, one per office and role, so that screens look like real work.
NAMES = {
    "lima": ["Rosa Huamán Quispe", "Milagros Torres Vega", "Carlos Mendoza Ríos",
             "Lucía Paredes Salas", "Jorge Castillo Rojas"],
    "iquitos": ["Kelly Pinedo Tuanama", "Rocío Del Águila Panduro", "Luis Shapiama Ahuanari",
                "Diana Vásquez Arévalo", "Wilder Ríos Sangama"],
    "cusco": ["Yeny Ccama Huallpa", "Nilda Quispe Condori", "Edwin Mamani Ttito",
              "Sonia Yupanqui Cusi", "Raúl Huamaní Ccorimanya"],
    "puno": ["Marleny Apaza Ticona", "Ruth Choque Mamani", "Alfredo Quispe Chambi",
             "Elena Cutipa Flores", "Hugo Condori Vilca"],
    "maldonado": ["Gladys Huanca Soncco", "Patricia Zapata Ramírez", "Óscar Baca Ccahuana",
                  "Fiorella Chávez Torres", "Julio Arce Pacheco"],
}
# How many of each role an office has beyond the first (named above). `make demo` loads 2,000
# cases, of which about 210 are open in Lima and 90–115 in each other office.
EXTRA_STAFF = {
    "lima": {Role.CASEWORKER: 6, Role.PSYCHOLOGIST: 3, Role.LAWYER: 3},
    "iquitos": {Role.CASEWORKER: 2, Role.PSYCHOLOGIST: 1, Role.LAWYER: 1},
    "cusco": {Role.CASEWORKER: 3, Role.PSYCHOLOGIST: 1, Role.LAWYER: 1},
    "puno": {Role.CASEWORKER: 2, Role.PSYCHOLOGIST: 1, Role.LAWYER: 1},
    "maldonado": {Role.CASEWORKER: 3, Role.PSYCHOLOGIST: 1, Role.LAWYER: 1},
}
ORG_NAMES = {
    Role.DIRECTOR: "Andrea Salazar Núñez",
    Role.RESEARCHER: "Miguel Ángel Ponce Ibáñez",
    Role.WATCHDOG: "Carmen Villanueva Paz",
    Role.ADMIN: "Teresa Lazo Gutiérrez",
}


def _split(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    return " ".join(parts[:-2]), " ".join(parts[-2:])


@transaction.atomic
def demo_users_seed() -> list[tuple[str, str]]:
    """Create the demo users that do not exist yet. Returns (username, role label) for all."""
    password = settings.AMPARO_DEMO_PASSWORD
    wanted = []
    for office in Office.objects.filter(code__in=NAMES).order_by("name"):
        for role, name in zip(OFFICE_ROLES_IN_DEMO, NAMES[office.code], strict=True):
            wanted.append((f"{office.code}.{role.value}", name, role, office))
    rng = random.Random(7)
    extras = []
    for office in Office.objects.filter(code__in=EXTRA_STAFF).order_by("name"):
        pools = syn.OFFICES[office.code]["pools"]
        for role, count in EXTRA_STAFF[office.code].items():
            for n in range(2, count + 2):
                name = " ".join([rng.choice(syn.GIVEN_PE + syn.GIVEN_MALE),
                                 rng.choice(syn.SURNAMES[rng.choice(pools)]),
                                 rng.choice(syn.SURNAMES[rng.choice(pools)])])
                extras.append((f"{office.code}.{role.value}{n}", name, role, office))
    for role in sorted(ORGANISATION_ROLES):
        wanted.append((role.value, ORG_NAMES[role], role, None))
    existing = set(User.objects.values_list("username", flat=True))
    for username, name, role, office in wanted + extras:
        if username not in existing:
            first, last = _split(name)
            user_create(actor=None, username=username, password=password, first_name=first,
                        last_name=last, email=f"{username}@demo.invalid", roles=[(role, office)])
    # The logins printed: one per role and office (the others share the password).
    return [(u, f"{r.label}" + (f" · {o.name}" if o else "")) for u, _n, r, o in wanted]
