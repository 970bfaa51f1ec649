"""Fictitious people and stories for the demo and the benchmarks. Shares follow
peru-domain.md §8 (public figures): mostly women and girls, ~45% minors at intake, sexual
exploitation the largest form then labour, many Venezuelans in Lima, Quechua and Aymara
surnames in Cusco and Puno, Amazonian surnames in Loreto and Madre de Dios. Messy on purpose:
missing nationality, presumed versus confirmed status, estimated ages."""

from __future__ import annotations

import random
from datetime import date, timedelta

GIVEN_PE = ["María", "Rosa", "Luz", "Flor", "Yeni", "Maribel", "Nélida", "Ruth", "Judith",
            "Sonia", "Lizbeth", "Milagros", "Katherine", "Fiorella", "Jhoselyn", "Yesenia",
            "Deysi", "Roxana", "Elizabeth", "Marleny", "Gladys", "Noemí", "Karina", "Sheyla",
            "Brenda", "Nayeli", "Anyela", "Mayumi", "Thalía", "Xiomara"]
GIVEN_VE = ["Yuleisy", "Mariangel", "Yorgelis", "Daniela", "Génesis", "Oriana", "Yusmary",
            "Andreína", "Dayana", "Rosmery", "Wilmary", "Yelitza", "Nakary", "Eukaris"]
GIVEN_MALE = ["José", "Luis", "Juan", "Carlos", "Wilmer", "Edwin", "Jhon", "Percy", "Brayan",
              "Yonathan", "Ronald", "Alex"]
SURNAMES = {
    "quechua": ["Quispe", "Huamán", "Mamani", "Condori", "Ccori", "Huillca", "Cusi", "Yupanqui",
                "Ttito", "Ccama", "Huallpa", "Sutta", "Puma", "Ccahuana", "Taype"],
    "aymara": ["Mamani", "Choque", "Ticona", "Apaza", "Limachi", "Chambi", "Cutipa", "Quispe",
               "Condori", "Vilca", "Coaquira", "Huanca"],
    "amazonian": ["Tapullima", "Shupingahua", "Pizango", "Ahuanari", "Tananta", "Sangama",
                  "Huaymacari", "Yaicate", "Manihuari", "Murayari", "Tuanama", "Panduro",
                  "Shapiama", "Curitima"],
    "spanish": ["García", "Rodríguez", "Torres", "Flores", "Ramírez", "Sánchez", "Díaz",
                "Vásquez", "Rojas", "Castillo", "Chávez", "Mendoza", "Gonzales", "Ruiz"],
    "venezuelan": ["Pérez", "González", "Hernández", "Rivas", "Bolívar", "Márquez", "Colmenares",
                   "Urdaneta", "Briceño", "Parra", "Villegas", "Zambrano"],
}
OFFICES = {  # share of cases, surname pool, indigenous people and language, nationality mix
    "lima": {"share": 0.35, "pools": ["spanish", "quechua", "amazonian"],
             "people": [("quechuas", "quechua")],
             "nationality": [("PE", 0.55), ("VE", 0.33), ("CO", 0.03), ("EC", 0.02), ("", 0.07)]},
    "iquitos": {"share": 0.17, "pools": ["amazonian", "spanish"],
                "people": [("kukama_kukamiria", "kukama_kukamiria"), ("shipibo_konibo",
                           "shipibo_konibo"), ("awajun", "awajun"), ("bora", "bora")],
                "nationality": [("PE", 0.96), ("CO", 0.02), ("", 0.02)]},
    "cusco": {"share": 0.16, "pools": ["quechua", "spanish"],
              "people": [("quechuas", "quechua"), ("matsigenka", "matsigenka")],
              "nationality": [("PE", 0.9), ("VE", 0.05), ("", 0.05)]},
    "puno": {"share": 0.16, "pools": ["aymara", "quechua"],
             "people": [("aimara", "aimara"), ("quechuas", "quechua")],
             "nationality": [("PE", 0.86), ("BO", 0.08), ("", 0.06)]},
    "maldonado": {"share": 0.16, "pools": ["quechua", "aymara", "amazonian", "spanish"],
                  "people": [("quechuas", "quechua"), ("harakbut", "harakbut"),
                             ("ese_eja", "ese_eja")],
                  "nationality": [("PE", 0.9), ("VE", 0.04), ("BO", 0.03), ("", 0.03)]},
}
FORMS = [("explotacion_sexual", 0.62), ("explotacion_laboral", 0.2), ("trabajo_forzoso", 0.05),
         ("mendicidad", 0.04), ("servidumbre", 0.05), ("venta_nna", 0.02),
         ("matrimonio_servil", 0.02)]
RECRUITMENT = [("oferta_laboral_falsa", 0.45), ("conocido_familiar", 0.18),
               ("redes_sociales", 0.2), ("enamoramiento", 0.1), ("padrinazgo", 0.04),
               ("agencia_empleo", 0.03)]
RELATION = [("conocido", 0.35), ("desconocido", 0.25), ("familiar", 0.15), ("pareja", 0.1),
            ("amistad", 0.1), ("empleador", 0.05)]
ARRIVAL = [("fiscalia", 0.4), ("policia", 0.2), ("albergue", 0.15), ("linea", 0.08),
           ("aliada", 0.08), ("familia", 0.05), ("propia", 0.04)]
# Where exploitation happens (UBIGEO department) by form, and the ISIC sector.
PLACES = {"explotacion_sexual": ["17", "15", "16", "21", "08"],
          "explotacion_laboral": ["17", "16", "15"], "trabajo_forzoso": ["17", "16"],
          "mendicidad": ["15", "04"], "servidumbre": ["15", "08", "21"],
          "venta_nna": ["15"], "matrimonio_servil": ["21", "08"]}
SECTORS = {"explotacion_sexual": "I", "explotacion_laboral": "B", "trabajo_forzoso": "A",
           "servidumbre": "T", "mendicidad": "S"}

NOTES_GENERAL = [
    "Llegó acompañada por personal de la fiscalía; se le explicó el acompañamiento.",
    "Se coordinó con la UGEL su reincorporación al colegio.",
    "Refiere que la familia la apoya; la madre asistirá a la próxima cita.",
    "Se gestionó su cita en el centro de salud para control.",
    "No asistió a la cita; se reprogramó por teléfono.",
    "Pidió apoyo para trámite de su DNI en RENIEC.",
    "Se entregó kit de aseo y se coordinó movilidad.",
    "Se derivó a taller de emprendimiento; muestra interés en repostería.",
    "Comenta que cambió de número de celular por seguridad.",
]
NOTES_PSY = [
    "Sesión centrada en el sueño; refiere pesadillas recurrentes, disminuyen.",
    "Se trabajó regulación emocional; buena adherencia.",
    "Ansiedad alta ante la audiencia; se preparó con técnicas de respiración.",
    "Refiere culpa; se trabajó resignificación de la experiencia.",
]
NOTES_LEGAL = [
    "Se revisó la carpeta fiscal; la investigación preparatoria sigue abierta.",
    "Se preparó la declaración para la cámara Gesell.",
    "Se solicitó medida de protección a favor de la agraviada.",
    "La defensa del imputado pidió aplazar la audiencia.",
]
ACCOUNTS = [
    "Le ofrecieron trabajo de atención en un restaurante con buen sueldo y pasaje pagado.",
    "Una conocida de la familia la convenció de viajar para trabajar en la ciudad.",
    "Contacto por redes sociales; le prometieron trabajo como modelo.",
    "Su enamorado la llevó a otra región y allí la obligaron a trabajar en un bar.",
    "La llevaron a un campamento minero; le retuvieron el documento y el pago.",
]
PERPETRATORS = ["alias 'la Tía', dueña del local", "dos hombres, uno apodado 'el Chino'",
                "conocido de la familia, conductor de mototaxi", "agencia de empleo sin licencia",
                "pareja de la captadora, con camioneta gris"]
GOALS = {"educacion": "Terminar la secundaria", "trabajo": "Tener un trabajo con contrato",
         "salud_mental": "Dormir tranquila y sentirme segura", "documentacion": "Tener mi DNI",
         "legal": "Que el caso llegue a juicio", "vivienda": "Vivir con mi hermana",
         "familia": "Recuperar la relación con mi madre", "migracion": "Regularizar mi estadía"}


def pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def intake_date(rng: random.Random, today: date) -> date:
    """2010–today, more cases in later years (the organisation grew)."""
    years = list(range(2010, today.year + 1))
    year = rng.choices(years, weights=[1 + (y - 2010) * 0.4 for y in years])[0]
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), today)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def age_at_intake(rng: random.Random) -> int:
    if rng.random() < 0.45:
        return rng.choices(range(9, 18), weights=[1, 1, 2, 3, 6, 10, 14, 16, 15])[0]
    return rng.choices(range(18, 46), weights=[10] * 12 + [3] * 10 + [1] * 6)[0]


def document(rng: random.Random, nationality: str, age: int) -> tuple[str, str]:
    if nationality == "PE":
        if rng.random() < 0.85:
            return "dni", f"{rng.randint(40_000_000, 79_999_999):08d}" if age >= 18 else \
                f"{rng.randint(70_000_000, 79_999_999):08d}"
        return "ninguno", ""
    if nationality == "VE":
        kind = pick(rng, [("pasaporte", 0.35), ("ptp_cpp", 0.3), ("ninguno", 0.35)])
        return kind, "" if kind == "ninguno" else f"{rng.randint(10_000_000, 32_000_000)}"
    if nationality in ("CO", "EC", "BO"):
        return "pasaporte", f"{rng.choice('ABCPRT')}{rng.randint(1_000_000, 9_999_999)}"
    return "ninguno", ""
