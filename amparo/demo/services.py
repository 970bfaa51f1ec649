"""The demo organisation's people: one user per role and office, with fictitious names."""

from django.conf import settings
from django.db import transaction

from amparo.accounts.models import Office, User
from amparo.accounts.roles import ORGANISATION_ROLES, Role
from amparo.accounts.services import user_create

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
ORG_NAMES = {
    Role.DIRECTOR: "Andrea Salazar Núñez",
    Role.RESEARCHER: "Miguel Ángel Ponce Ibáñez",
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
    for role in sorted(ORGANISATION_ROLES):
        wanted.append((role.value, ORG_NAMES[role], role, None))
    existing = set(User.objects.values_list("username", flat=True))
    for username, name, role, office in wanted:
        if username not in existing:
            first, last = _split(name)
            user_create(actor=None, username=username, password=password, first_name=first,
                        last_name=last, email=f"{username}@demo.invalid", roles=[(role, office)])
    return [(u, f"{r.label}" + (f" · {o.name}" if o else "")) for u, _n, r, o in wanted]
