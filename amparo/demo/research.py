"""The demo's research: a qualitative study of testimonies about the care survivors received
(excerpts de-identified by their case workers and coded by two researchers), a quantitative
study of paths through justice with an export and some noisy releases, a public fact sheet
release, and a protocol waiting for the director."""

from __future__ import annotations

import random
from datetime import date

from django.conf import settings
from django.utils import timezone

from amparo.accounts.models import Role, User
from amparo.accounts.services import user_create
from amparo.research import deid, selectors, services
from amparo.research.models import Study

THEMES = [("A", "Atención recibida", None), ("A1", "Trato del personal", "A"),
          ("A2", "Acceso a salud y albergue", "A"), ("B", "Justicia", None),
          ("B1", "Denuncia y declaración", "B"), ("C", "Reintegración", None),
          ("D", "Riesgo de revictimización", None)]


def _second_researcher() -> User:
    user = User.objects.filter(username="researcher2").first()
    if user is None:
        user = user_create(actor=None, username="researcher2",
                           password=settings.AMPARO_DEMO_PASSWORD, first_name="Lucía",
                           last_name="Arce Villanueva", email="researcher2@demo.invalid",
                           roles=[(Role.RESEARCHER, None)])
    return user


def research_seed(seed: int = 1) -> int:
    """The studies it made (none when the demo already has them)."""
    if Study.objects.exists():
        return 0
    director = User.objects.filter(username="director").first()
    first = User.objects.filter(username="researcher").first()
    if director is None or first is None:
        return 0
    second = _second_researcher()
    rng = random.Random(seed)
    today = timezone.localdate()
    qualitative = services.study_save(actor=first, data={
        "code": "testimonios-atencion", "title": "Testimonios sobre la atención recibida",
        "kind": "cualitativo", "question": "¿Qué prácticas del Estado y de la organización "
        "ayudaron o dañaron a las sobrevivientes durante su atención?",
        "starts_on": date(2016, 1, 1), "ends_on": today, "variables": [],
        "excerpts_allowed": True, "k": 11, "epsilon_budget": "1"}, members=["researcher2"])
    justice = services.study_save(actor=first, data={
        "code": "justicia-15-anos", "title": "Quince años de procesos penales",
        "kind": "cuantitativo", "question": "¿Cómo cambió el camino de las sobrevivientes por "
        "la justicia penal entre 2011 y hoy?", "starts_on": date(2011, 1, 1), "ends_on": today,
        "variables": ["justice", "means", "recruitment"], "k": 11, "epsilon_budget": "1"})
    waiting = services.study_save(actor=second, data={
        "code": "retorno-venezolanas", "title": "Retorno y regularización de venezolanas",
        "kind": "cuantitativo", "question": "¿Cuántas sobrevivientes venezolanas regularizaron "
        "su situación migratoria y en cuánto tiempo?", "starts_on": date(2018, 1, 1),
        "ends_on": today, "variables": ["justice"], "k": 11, "epsilon_budget": "0.5"})
    for study in (qualitative, justice, waiting):
        services.study_submit(actor=study.created_by, study=study)
    for study in (qualitative, justice):
        services.study_decide(actor=director, study=study, approve=True, decision=(
            "Aprobado: el protocolo usa solo casos con consentimiento de investigación vigente, "
            "identificadores de estudio y extractos desidentificados."))
    _excerpts(qualitative, rng)
    for code, name, parent in THEMES:
        services.theme_save(actor=first, study=qualitative, code=code, name=name,
                            parent=qualitative.themes.filter(code=parent).first())
    themes = list(qualitative.themes.all())
    checked = qualitative.excerpts.filter(checked_at__isnull=False)  # the others wait
    for excerpt in checked:
        chosen = {t.pk for t in rng.sample(themes, rng.randint(1, 3))}
        services.coding_save(actor=first, excerpt=excerpt, themes=list(chosen))
        theirs = {t for t in chosen if rng.random() < 0.85} | (
            {rng.choice(themes).pk} if rng.random() < 0.2 else set())
        services.coding_save(actor=second, excerpt=excerpt, themes=list(theirs))
    for excerpt in list(checked)[:2]:
        services.quote_approve(actor=director, excerpt=excerpt, approved=True)
    services.export_make(actor=first, study=justice, fmt="csv")
    year = today.year
    for dimension in ("year", "form"):
        services.release_make(actor=first, study=justice, dimension=dimension,
                              first_year=2011, last_year=year, epsilon="0.25")
    services.release_make(actor=director, study=None, dimension="department",
                          first_year=year - 4, last_year=year, epsilon="0.2")
    return 3


def _excerpts(study: Study, rng: random.Random, wanted: int = 12) -> None:
    """Case workers excerpt their own cases' accounts, de-identified; the office's coordinator
    checks most of them (a few wait for her, so the page shows the queue)."""
    candidates = list(selectors.cohort(study, User.objects.get(username="director")).filter(
        worker__isnull=False).select_related("worker", "person__identity").order_by("code"))
    rng.shuffle(candidates)
    made = 0
    for case in candidates:
        texts = services.excerpt_sources(case.worker, study, case.code)
        if not texts:
            continue
        text = rng.choice(texts)
        clean = deid.deidentify(text["text"], names=services.names_on_case(case))
        excerpt = services.excerpt_add(actor=case.worker, study=study, code=case.code,
                                       source=text["source"], source_id=text["id"],
                                       text=clean.text)
        if made % 4 != 3:  # most checked by the office's coordinator; some wait for her
            checker = User.objects.filter(role_assignments__role="coordinator",
                                          role_assignments__office=case.office_id).first()
            if checker is not None:
                services.excerpt_check(actor=checker, excerpt=excerpt, approve=True)
        made += 1
        if made >= wanted:
            return
