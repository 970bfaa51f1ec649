"""A realistic demo directory of the State and partner services in each office's region. The
names follow the real institutions' naming; addresses and phones are fictitious."""

from __future__ import annotations

from amparo.core.text import fold
from amparo.referrals.models import Institution

# Department code → (name used in institution names, capital district UBIGEO, phone area code)
REGIONS = {
    "15": ("Lima", "150101", "01"),
    "07": ("Callao", "070101", "01"),
    "16": ("Loreto", "160101", "065"),
    "08": ("Cusco", "080101", "084"),
    "21": ("Puno", "210101", "051"),
    "17": ("Madre de Dios", "170101", "082"),
    "04": ("Arequipa", "040101", "054"),
}
CITY = {"15": "Lima", "07": "Callao", "16": "Iquitos", "08": "Cusco", "21": "Puno",
        "17": "Puerto Maldonado", "04": "Arequipa"}
STREETS = ["Av. Grau", "Jr. Lima", "Av. Bolognesi", "Jr. Junín", "Av. La Cultura", "Jr. Arequipa",
           "Av. Fitzcarrald", "Jr. Puno", "Av. Túpac Amaru", "Jr. Ayacucho"]

# (kind, sector, acronym, name template, provides, hours)
TEMPLATES = [
    ("fistrap", "estado", "FISTRAP",
     "Fiscalía Provincial Especializada en Delitos de Trata de Personas de {r}",
     ["denuncia", "proteccion"], "L–V 8:00–16:45"),
    ("fiscalia", "estado", "FPPC", "Fiscalía Provincial Penal Corporativa de {c}", ["denuncia"],
     "L–V 8:00–16:45"),
    ("udavit", "estado", "UDAVIT", "Unidad Distrital de Asistencia a Víctimas y Testigos de {r}",
     ["proteccion", "salud_mental", "defensa_legal"], "L–V 8:00–16:45"),
    ("iml", "estado", "IML", "División Médico Legal de {c} (Cámara Gesell)", ["denuncia", "salud"],
     "L–D 24 horas"),
    ("pnp_trata", "estado", "DEPTPTIM", "Departamento contra la Trata de Personas y TIM – {r}",
     ["denuncia", "proteccion"], "24 horas"),
    ("comisaria", "estado", "PNP", "Comisaría PNP {c}", ["denuncia", "proteccion"], "24 horas"),
    ("juzgado", "estado", "JIP", "Juzgado de Investigación Preparatoria de {c}", [],
     "L–V 8:00–16:45"),
    ("juzgado", "estado", "JPC", "Juzgado Penal Colegiado de {c}", [], "L–V 8:00–16:45"),
    ("juzgado", "estado", "SPA",
     "Sala Penal de Apelaciones de la Corte Superior de Justicia de {r}",
     [], "L–V 8:00–16:45"),
    ("juzgado", "estado", "JF", "Juzgado de Familia de {c}", ["proteccion", "proteccion_nna"],
     "L–V 8:00–16:45"),
    ("cem", "estado", "CEM", "Centro Emergencia Mujer {c}", ["proteccion", "salud_mental",
     "defensa_legal", "apoyo_social"], "L–D 24 horas"),
    ("demuna", "estado", "DEMUNA", "DEMUNA de la Municipalidad Provincial de {c}",
     ["proteccion_nna"], "L–V 8:00–16:00"),
    ("upe", "estado", "UPE", "Unidad de Protección Especial de {r}", ["proteccion_nna", "albergue"],
     "L–V 8:30–16:30"),
    ("car", "estado", "CAR", "Centro de Acogida Residencial especializado de {r}",
     ["albergue", "salud_mental", "educacion"], "24 horas"),
    ("acogida", "estado", "EAT", "Espacio de Acogida Temporal para víctimas de trata – {r}",
     ["albergue", "apoyo_social"], "24 horas"),
    ("defensa_publica", "estado", "DP-MINJUSDH",
     "Defensa Pública de Víctimas – Dirección Distrital de {r}", ["defensa_legal"],
     "L–V 8:00–16:45"),
    ("salud", "estado", "MINSA", "Hospital Regional de {r}", ["salud", "salud_mental"], "24 horas"),
    ("salud", "estado", "CSMC", "Centro de Salud Mental Comunitario de {c}", ["salud_mental"],
     "L–S 8:00–20:00"),
    ("reniec", "estado", "RENIEC", "Agencia RENIEC {c}", ["documentacion"], "L–S 8:30–17:00"),
    ("migraciones", "estado", "MIGRACIONES", "Jefatura Zonal de Migraciones {c}",
     ["migracion", "documentacion"], "L–V 8:00–16:30"),
    ("sunafil", "estado", "SUNAFIL", "Intendencia Regional SUNAFIL {r}", ["denuncia"],
     "L–V 8:30–16:30"),
    ("mtpe", "estado", "Centro de Empleo",
     "Centro de Empleo de la Dirección Regional de Trabajo de {r}",
     ["empleo"], "L–V 8:00–16:00"),
    ("educacion", "estado", "CEBA", "Centro de Educación Básica Alternativa de {c}", ["educacion"],
     "L–V 14:00–21:00"),
    ("ong", "sociedad_civil", "", "Red de apoyo a mujeres de {c}", ["apoyo_social", "empleo",
     "salud_mental"], "L–V 9:00–18:00"),
]
NATIONAL = [
    ("defensoria", "estado", "DP", "Defensoría del Pueblo – Oficina Defensorial de Lima", "15",
     ["proteccion"]),
    ("consulado", "estado", "", "Consulado General de Venezuela en Lima", "15",
     ["documentacion", "retorno"]),
    ("ong", "internacional", "OIM", "Organización Internacional para las Migraciones – Perú", "15",
     ["retorno", "apoyo_social", "migracion"]),
    ("inabif", "estado", "INABIF", "Programa Integral Nacional para el Bienestar Familiar", "15",
     ["albergue", "proteccion_nna"]),
]


def institutions_seed() -> int:
    """Add the demo directory's institutions that are not there yet (by name)."""
    existing = set(Institution.objects.values_list("name", flat=True))
    rows, n = [], 0
    for dep, (region, district, area) in REGIONS.items():
        city = CITY[dep]
        for kind, sector, acronym, template, provides, hours in TEMPLATES:
            n += 1
            name = template.format(r=region, c=city)
            if name in existing:
                continue
            rows.append(_row(kind, sector, acronym, name, district, provides, hours, n, area))
    for kind, sector, acronym, name, dep, provides in NATIONAL:
        n += 1
        if name not in existing:
            rows.append(_row(kind, sector, acronym, name, REGIONS[dep][1], provides,
                             "L–V 9:00–17:00", n, "01"))
    Institution.objects.bulk_create(rows)
    return len(rows)


def _row(kind, sector, acronym, name, district, provides, hours, n, area) -> Institution:
    address = f"{STREETS[n % len(STREETS)]} {100 + (n * 37) % 900}, {CITY.get(district[:2], '')}"
    institution = Institution(
        kind=kind, sector=sector, acronym=acronym, name=name, ubigeo=district, address=address,
        phone=f"({area}) {200 + n % 700} {1000 + (n * 53) % 9000}", hours=hours, provides=provides,
        email=f"mesadepartes{n}@demo.invalid")
    institution.search_text = fold(" ".join([name, acronym, address]))[:300]
    return institution
