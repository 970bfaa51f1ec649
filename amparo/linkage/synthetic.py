"""Realistic synthetic records with known truth, for measuring record linkage (issue 6).

A population of women and girls (and some men) born 1975-2012: Peruvian names with Quechua,
Aymara and Amazonian surnames, Venezuelan migrants' names, families whose daughters share both
surnames (siblings: the hardest negatives), and the namesakes that very common names produce.
Each record of a person is written as a police alert, a family's report or an office register
would write it, with the errors each makes, drawn independently:

- names: accents and case lost, spelling variants by rules of their own (hua / gua / wa, qu / k,
  cc / c, final e / i, y / i, ll / y, z / s, v / b, a dropped h, doubled letters), typos, the
  second given name dropped or used alone, nicknames, particles dropped (De La Cruz / Cruz);
- surnames swapped, the second missing or only its initial, now and then the first one wrong;
- the birth date missing (an age at the report's date instead, sometimes a year off), day and
  month swapped, the year off by one, a digit typed wrong;
- the document missing or with a typo; the department last seen elsewhere.

These rules are this generator's own: they do not read the engine's variant table, so the
benchmark measures what the engine does on spellings it was not told about.

    generate(seed).link(reports=50_000, persons=20_000) -> (left rows, right rows, truth pairs)
    generate(seed).dedupe(persons=20_000) -> (rows, truth pairs)
"""

from __future__ import annotations

import csv
import itertools
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HEADER = ["record_id", "given_names", "paternal_surname", "maternal_surname", "sex",
          "birth_date", "age", "document_type", "document_number", "department", "event_date"]

ANDEAN = ["Quispe", "Huamán", "Mamani", "Condori", "Ccori", "Huillca", "Cusi", "Yupanqui", "Ttito", "Ccama", "Huallpa", "Sutta", "Puma", "Ccahuana", "Taype", "Choque", "Ticona", "Apaza", "Limachi", "Chambi", "Cutipa", "Vilca", "Coaquira", "Huanca", "Chambilla", "Ccallo", "Huarcaya", "Huaraca", "Ayala", "Ccopa", "Quilla", "Sullca", "Huayhua", "Pari", "Ninaraque", "Colque", "Machaca", "Larico", "Anccasi", "Chuquimia", "Huaccha", "Layme", "Ccasa", "Tacuri", "Huarachi", "Pacompia", "Yucra", "Mayta", "Surco", "Chipana", "Quispecahuana", "Auccapuma", "Callo", "Ccoa", "Incacutipa", "Huayta", "Chalco", "Sairitupac", "Huaman", "Poma", "Accostupa", "Roque", "Yanqui", "Ancco", "Caceres", "Cahuana", "Chura", "Huisa", "Inca", "Luque", "Ramos", "Zapana", "Charca", "Pilco", "Huacac", "Soncco", "Arque"]
AMAZONIAN = ["Tapullima", "Shupingahua", "Pizango", "Ahuanari", "Tananta", "Sangama", "Huaymacari", "Yaicate", "Manihuari", "Murayari", "Tuanama", "Panduro", "Amasifuen", "Tapayuri", "Inuma", "Cahuaza", "Shapiama", "Ushiñahua", "Yumbato", "Sinarahua", "Tamani", "Ríos", "Del", "Águila", "Pinedo", "Vela", "Saavedra", "Pacaya", "Tangoa", "Huayunga", "Canayo", "Mozombite", "Isuiza"]
COMMON = ["Flores", "Sánchez", "Rodríguez", "García", "Chávez", "Rojas", "Ramírez", "Torres", "Mendoza", "Díaz", "Vásquez", "Castillo", "López", "Gonzales", "Pérez", "Fernández", "Gutiérrez", "Ruiz", "Romero", "Jiménez", "Vargas", "Espinoza", "Castro", "Salazar", "Medina", "Ortiz", "Cárdenas", "Aguilar", "Silva", "Herrera", "Reyes", "Morales", "Delgado", "Cruz", "Paredes", "Alvarado", "Tello", "Soto", "Palomino", "Valverde", "Guevara", "Zapata", "Villanueva", "Mendoza", "Cabrera", "Benites", "Campos", "Velásquez", "Ponce", "Valdivia", "Lozano", "Cornejo", "Farfán", "Carbajal", "Meza", "Navarro", "Montoya", "Alarcón", "Bustamante", "Coronado", "Peña"]
VENEZUELAN = ["González", "Rodríguez", "Hernández", "Pérez", "Martínez", "García", "Gómez", "Díaz", "Morales", "Rojas", "Marcano", "Silva", "Suárez", "Blanco", "Briceño", "Contreras", "Guerrero", "Mora", "Medina", "Rivas", "Colmenares", "Carrasquel", "Bolívar", "Ochoa", "Peraza", "Lugo", "Figueroa", "Zambrano", "Villegas", "Barrios", "Requena", "Oropeza", "Escalona", "Urdaneta"]
# Compound surnames written with or without their particles.
COMPOUND = ["De La Cruz", "Del Águila", "De Los Santos", "Del Castillo", "De La Torre"]
GIVEN_PE = ["María", "Rosa", "Luz", "Flor", "Yeni", "Maribel", "Nélida", "Ruth", "Judith", "Sonia", "Lizbeth", "Milagros", "Katherine", "Fiorella", "Jhoselyn", "Yesenia", "Deysi", "Roxana", "Elizabeth", "Marleny", "Gladys", "Noemí", "Karina", "Sheyla", "Brenda", "Nayeli", "Anyela", "Mayumi", "Thalía", "Xiomara", "Rocío", "Carmen", "Juana", "Julia", "Gloria", "Elena", "Ana", "Liliana", "Silvia", "Marisol", "Vilma", "Yolanda", "Delia", "Haydée", "Lourdes", "Pilar", "Mercedes", "Rosario", "Guadalupe", "Dolores", "Isabel", "Lucía", "Nataly", "Estefany", "Jazmín", "Kiara", "Valeria", "Camila", "Sofía", "Mariana", "Andrea", "Danitza", "Yanina", "Mirian", "Edith", "Soledad", "Esther", "Betty", "Janet", "Maritza", "Wendy", "Evelyn", "Yuliana", "Rubí", "Abigail", "Tania", "Melany", "Sandra", "Zulema", "Leydi", "Nancy", "Hilda", "Emperatriz", "Saturnina", "Eulogia", "Florencia", "Victoria", "Teresa", "Irma", "Marina", "Beatriz", "Clara", "Cinthia", "Diana", "Erika", "Flavia", "Greysi", "Heidy", "Ivonne", "Jackeline", "Karen", "Leslie", "Madeleine", "Norma", "Olga", "Paola", "Raquel", "Susana", "Vanessa", "Yessica", "Zaida", "Amparo", "Celia", "Dina", "Eva", "Fanny", "Gisela", "Inés"]
GIVEN_VE = ["Yuleisy", "Mariangel", "Yorgelis", "Daniela", "Génesis", "Oriana", "Yusmary", "Andreína", "Dayana", "Rosmery", "Wilmary", "Yelitza", "Nakary", "Eukaris", "Mariela", "Yenny", "Milagros", "Yoselin", "Anyelis", "Dayerlin", "Keila", "Naileth", "Rosangela", "Scarlet", "Yaritza", "Yulimar", "Zuleima", "Marbelis", "Yohana", "Leidy", "Maryori", "Fabiola", "Greisy", "Norelis", "Valentina", "Victoria", "Isabella", "Gabriela", "Karla", "Stefany", "Yurbis", "Arianny"]
GIVEN_MALE = ["José", "Luis", "Juan", "Carlos", "Wilmer", "Edwin", "Jhon", "Percy", "Brayan", "Yonathan", "Ronald", "Alex", "Jorge", "Miguel", "Ángel", "Victor", "Raúl", "Rubén", "Julio", "Pedro"]
NICKNAMES = {"Rosario": ["Charo", "Chayo"], "María Isabel": ["Maribel"], "Guadalupe": ["Lupe"],
             "María Soledad": ["Marisol"], "Mercedes": ["Meche"], "Dolores": ["Lola"],
             "Isabel": ["Chabela"], "María Luz": ["Mariluz"], "Margarita": ["Marga"],
             "Luz": ["Lucha"], "Elizabeth": ["Eli", "Liz"], "Valentina": ["Vale"],
             "Gabriela": ["Gaby"], "Daniela": ["Dani"]}
# Spelling rules of this generator (pattern, replacement), applied to one name at a time.
SPELLINGS = [("hua", "gua"), ("hua", "wa"), ("gua", "hua"), ("qu", "k"), ("cc", "c"), ("c", "cc"),
             ("que", "qui"), ("pe", "pi"), ("y", "i"), ("i", "y"), ("ll", "y"), ("z", "s"),
             ("s", "z"), ("v", "b"), ("b", "v"), ("h", ""), ("jh", "j"), ("j", "jh"), ("th", "t"),
             ("sh", "s"), ("ñ", "ni"), ("k", "c"), ("x", "j"), ("ey", "ei"), ("ei", "ey"),
             ("elyn", "elin"), ("ine", "in"), ("y", "ll"), ("tt", "t"), ("nn", "n"), ("n", "nn"),
             ("o", "u"), ("u", "o"), ("e", "i")]
DEPARTMENT_WEIGHTS = {"15": 30, "16": 8, "08": 9, "21": 8, "17": 5, "04": 5, "13": 4, "14": 4,
                      "20": 4, "12": 4, "25": 3, "22": 3, "06": 3, "11": 2, "07": 4, "03": 2,
                      "05": 2, "10": 2, "02": 2, "01": 1, "09": 1, "18": 1, "19": 1, "23": 1,
                      "24": 1}
TODAY = date(2026, 11, 1)


# The most frequent surnames in Peru, percent of the population (rounded, from RENIEC's public
# counts); the others listed share what is left with a long tail of rarer surnames.
TOP = {"Quispe": 3.3, "Flores": 2.0, "Sánchez": 1.6, "Rodríguez": 1.4, "García": 1.3,
       "Rojas": 1.3, "Huamán": 1.2, "Mamani": 1.2, "Ramírez": 1.0, "Chávez": 1.0, "Torres": 0.9,
       "Díaz": 0.9, "Mendoza": 0.9, "Vásquez": 0.8, "Castillo": 0.8, "Condori": 0.8,
       "López": 0.8, "Gonzales": 0.7, "Pérez": 0.7, "Fernández": 0.6, "Gutiérrez": 0.6,
       "Ruiz": 0.6, "Cruz": 0.6, "Vargas": 0.6, "Espinoza": 0.6, "Castro": 0.6, "Ramos": 0.6,
       "Salazar": 0.5, "Medina": 0.5, "Romero": 0.5}
SYLLABLES = ["ca", "cha", "chu", "cu", "hua", "hui", "lla", "lli", "ma", "mi", "mu", "na", "ni", "pa", "pi", "pu", "qui", "ra", "ri", "ru", "sa", "si", "su", "ta", "ti", "tu", "ya", "yu", "co", "lo", "mo", "no", "po", "ro", "to", "ba", "be", "bi", "bo", "da", "de", "di", "do", "fa", "fe", "ga", "go", "la", "le", "li", "ne", "pe", "se", "te", "va", "ve", "za"]
ENDINGS = ["", "n", "s", "r", "l", "z", "ra", "na", "ni", "co", "do", "llo", "nte"]


def _zipf(names: list[str], s: float = 1.1) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(len(names))]


def _invented(rng: random.Random, count: int) -> list[str]:
    """Rarer names, made of syllables: the long tail every real register has."""
    names: set[str] = set()
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice([2, 2, 3, 3, 4])))
        names.add((word + rng.choice(ENDINGS)).title())
    return sorted(names)


def _weighted(listed: list[str], top: dict[str, float], tail: list[str], *,
              listed_share: float, tail_share: float) -> tuple[list[str], list[float]]:
    names = list(top) + [n for n in dict.fromkeys(listed) if n not in top]
    rest = [n for n in names if n not in top]
    weights = list(top.values())
    spread = _zipf(rest, 0.6)
    weights += [listed_share * w / sum(spread) for w in spread]
    tail_weights = _zipf(tail, 0.5)
    weights += [tail_share * w / sum(tail_weights) for w in tail_weights]
    return names + tail, list(itertools.accumulate(weights))


@dataclass
class Entity:
    uid: int
    given: str
    paternal: str
    maternal: str
    sex: str
    birth: date
    document_type: str
    document: str
    department: str


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Generator:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.uid = 0
        self.documents: set[str] = set()
        tail = _invented(random.Random(seed + 1), 6000)
        self.native = set(ANDEAN + AMAZONIAN + tail[:5000])
        self.pools = {
            "pe": _weighted(ANDEAN + AMAZONIAN + COMMON + COMPOUND, TOP, tail[:5000],
                            listed_share=30.0, tail_share=40.0),
            "ve": _weighted(VENEZUELAN, {}, tail[5000:], listed_share=60.0, tail_share=40.0),
        }
        given_tail = _invented(random.Random(seed + 2), 1500)
        self.given = {
            "pe": _weighted(GIVEN_PE, {}, given_tail[:1000], listed_share=70, tail_share=30),
            "ve": _weighted(GIVEN_VE, {}, given_tail[1000:], listed_share=70, tail_share=30),
            "m": _weighted(GIVEN_MALE, {}, given_tail[:300], listed_share=70, tail_share=30),
        }
        self.departments = list(DEPARTMENT_WEIGHTS), list(
            itertools.accumulate(DEPARTMENT_WEIGHTS.values()))

    # --- the population -------------------------------------------------------------------
    def _surname(self, origin: str) -> str:
        names, cumulative = self.pools[origin]
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def _given(self, origin: str, sex: str) -> str:
        rng = self.rng
        if sex == "M":
            pool, weights = self.given["m"]
        else:
            pool, weights = self.given["ve" if origin == "ve" and rng.random() < 0.8 else "pe"]
        first = rng.choices(pool, cum_weights=weights)[0]
        if rng.random() < 0.3:
            second = rng.choices(pool, cum_weights=weights)[0]
            if second != first:
                return f"{first} {second}"
        if first == "María" and rng.random() < 0.5:
            return f"María {rng.choice(['Isabel', 'Luz', 'Soledad', 'Elena', 'del Carmen'])}"
        return first

    def _document(self, origin: str) -> tuple[str, str]:
        while True:
            if origin == "pe":
                kind, number = "DNI", f"{self.rng.randint(40_000_000, 79_999_999)}"
            else:
                kind = self.rng.choice(["CE", "PTP", "PASAPORTE"])
                number = f"{self.rng.randint(1_000_000, 9_999_999):09d}"
            if number not in self.documents:
                self.documents.add(number)
                return kind, number

    def family(self) -> list[Entity]:
        """A family: one to four daughters (now and then a son) sharing both surnames."""
        rng = self.rng
        origin = "ve" if rng.random() < 0.25 else "pe"
        paternal, maternal = self._surname(origin), self._surname(origin)
        department = rng.choices(self.departments[0], cum_weights=self.departments[1])[0]
        eldest = date(1975, 1, 1) + timedelta(days=rng.randint(0, 37 * 365))
        members = []
        for n in range(rng.choices([1, 2, 3, 4], [55, 25, 13, 7])[0]):
            sex = "M" if rng.random() < 0.08 else "F"
            birth = eldest + timedelta(days=n * rng.randint(300, 1800))
            if birth > date(2012, 12, 31):
                break
            kind, number = self._document(origin)
            self.uid += 1
            members.append(Entity(self.uid, self._given(origin, sex), paternal, maternal, sex,
                                  birth, kind, number, department))
        return members

    def population(self, size: int) -> list[Entity]:
        people: list[Entity] = []
        while len(people) < size:
            people.extend(self.family())
        return people[:size]

    # --- how records of one person differ -------------------------------------------------
    def _respell(self, name: str) -> str:
        rng = self.rng
        lower = name.lower()
        rules = [(a, b) for a, b in SPELLINGS if a in lower]
        if not rules:
            return name
        a, b = rng.choice(rules)
        at = [i for i in range(len(lower)) if lower.startswith(a, i)]
        i = rng.choice(at)
        out = lower[:i] + b + lower[i + len(a):]
        return out.title() if out else name

    def _typo(self, name: str) -> str:
        rng = self.rng
        if len(name) < 4:
            return name
        i = rng.randrange(1, len(name) - 1)
        kind = rng.random()
        if kind < 0.33:
            return name[:i] + name[i + 1:]
        if kind < 0.66:
            return name[:i] + name[i + 1] + name[i] + name[i + 2:]
        return name[:i] + rng.choice("aeioulnrst") + name[i + 1:]

    def _write(self, name: str, variants: float = 0.08) -> str:
        """How a hand writes it: accents lost, upper case, now and then a variant or typo."""
        rng = self.rng
        if rng.random() < variants:
            name = self._respell(name)
        if rng.random() < 0.03:
            name = self._typo(name)
        if rng.random() < 0.5:
            name = _plain(name)
        if rng.random() < 0.4:
            name = name.upper()
        return name

    def _given_written(self, given: str) -> str:
        rng = self.rng
        if given in NICKNAMES and rng.random() < 0.15:
            return self._write(rng.choice(NICKNAMES[given]))
        words = given.split(" ", 1)
        if len(words) == 2:
            if rng.random() < 0.25:
                given = words[0]
            elif rng.random() < 0.05:
                given = words[1]
        return " ".join(self._write(w) for w in given.split(" "))

    def _surname_written(self, name: str) -> str:
        rng = self.rng
        if name.startswith(("De ", "Del ")) and rng.random() < 0.4:
            name = name.split()[-1]
        # Quechua, Aymara and Amazonian surnames have no settled spelling: a police officer
        # writes what the family says.
        return self._write(name, 0.25 if name in self.native else 0.08)

    def record(self, person: Entity, record_id: str, event: date, *, report: bool) -> dict:
        rng = self.rng
        given = self._given_written(person.given)
        paternal = self._surname_written(person.paternal)
        maternal = self._surname_written(person.maternal)
        roll = rng.random()
        if roll < 0.04:
            paternal, maternal = maternal, paternal
        elif roll < 0.14:
            maternal = ""
        elif roll < 0.18:
            maternal = maternal[:1] + "."
        if rng.random() < 0.02:
            paternal = self._surname(rng.choice(["pe", "ve"]))
        # Alerts say "de 15 años" more often than a birth date; an office registers an
        # estimated age when she has no document.
        birth, age = person.birth, ""
        roll = rng.random()
        if roll < (0.65 if report else 0.15):
            years = event.year - birth.year - ((event.month, event.day) < (birth.month, birth.day))
            age = str(max(0, years + (rng.choice([-1, 1]) if rng.random() < 0.3 else 0)))
            birth = None
        elif roll < (0.75 if report else 0.20):
            birth = None
        if birth is not None:
            roll = rng.random()
            if roll < 0.04 and birth.day <= 12:
                birth = date(birth.year, birth.day, birth.month)
            elif roll < 0.08:
                birth = _safe(birth.year + rng.choice([-1, 1]), birth.month, birth.day)
            elif roll < 0.11:
                birth = _safe(birth.year, birth.month, rng.randint(1, 28))
        document_type, document = person.document_type, person.document
        if rng.random() < (0.55 if report else 0.25):
            document_type, document = "", ""
        elif rng.random() < 0.03:
            i = rng.randrange(len(document))
            document = document[:i] + str(rng.randint(0, 9)) + document[i + 1:]
        department = person.department
        if rng.random() < (0.30 if report else 0.10):
            department = rng.choices(self.departments[0], cum_weights=self.departments[1])[0]
        sex = person.sex if rng.random() > 0.01 else ("M" if person.sex == "F" else "F")
        if rng.random() < 0.03:
            sex = ""
        return {"record_id": record_id, "given_names": given, "paternal_surname": paternal,
                "maternal_surname": maternal, "sex": sex,
                "birth_date": birth.isoformat() if birth else "", "age": age,
                "document_type": document_type, "document_number": document,
                "department": department,
                "event_date": event.isoformat() if report or age else ""}

    def _event(self, person: Entity) -> date:
        start = max(person.birth + timedelta(days=12 * 365), date(2010, 1, 1))
        span = (TODAY - start).days
        return start + timedelta(days=self.rng.randint(0, max(span, 0)))

    # --- the scenarios --------------------------------------------------------------------
    def link(self, *, reports: int, persons: int, known_share: float = 0.25):
        """Reports against persons: about `known_share` of the persons also have one or two
        reports; the other reports are of women not registered, many of them sisters or
        namesakes of registered ones."""
        rng = self.rng
        people = self.population(persons + reports)
        registered, others = people[:persons], people[persons:]
        rng.shuffle(registered)
        left, right, truth = [], [], set()
        for person in registered:
            right.append(self.record(person, f"P{person.uid}", self._event(person), report=False))
        n = 0
        for person in registered:
            if len(left) >= reports or rng.random() >= known_share:
                continue
            for _ in range(rng.choices([1, 2], [80, 20])[0]):
                n += 1
                left.append(self.record(person, f"R{n}", self._event(person), report=True))
                truth.add((f"R{n}", f"P{person.uid}"))
        for person in others:
            if len(left) >= reports:
                break
            n += 1
            left.append(self.record(person, f"R{n}", self._event(person), report=True))
        rng.shuffle(left)
        return left, right, truth

    def dedupe(self, *, persons: int, duplicate_share: float = 0.08):
        """One register with some women registered twice or three times (another office,
        another year, another hand)."""
        rng = self.rng
        rows, truth, by_entity = [], set(), {}
        people = self.population(persons)
        n = 0
        for person in people:
            copies = 1
            if rng.random() < duplicate_share:
                copies = rng.choices([2, 3], [85, 15])[0]
            for _ in range(copies):
                if len(rows) >= persons:
                    break
                n += 1
                rows.append(self.record(person, f"P{n}", self._event(person), report=False))
                by_entity.setdefault(person.uid, []).append(f"P{n}")
        for ids in by_entity.values():
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    truth.add(tuple(sorted((a, b))))
        rng.shuffle(rows)
        return rows, truth


def _safe(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def write(rows: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path
