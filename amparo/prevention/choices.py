"""The prevention team's own lists: kinds of activity, audiences, topics, test phases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TRAINING = "capacitacion", _("Training (with a curriculum)")
    WORKSHOP = "taller", _("Workshop")
    TALK = "charla", _("Talk")
    COMMUNITY = "reunion_comunitaria", _("Community meeting")
    AWARENESS = "campana", _("Awareness campaign")
    MASS_MEDIA = "campana_medios", _("Mass-media campaign")


# Learning events: a person who completes one counts as trained (donor indicators PS.5.1-28 and
# PS.5.3-15: "completed a learning event with a curriculum").
LEARNING = (Kind.TRAINING, Kind.WORKSHOP)
# Their reach is an estimated audience, never people: kept apart from those trained.
CAMPAIGNS = (Kind.AWARENESS, Kind.MASS_MEDIA)


class Audience(models.TextChoices):
    JUDGES = "jueces", _("Judges")
    PROSECUTORS = "fiscales", _("Prosecutors")
    LAWYERS = "abogados", _("Lawyers and public defenders")
    POLICE = "policia", _("Police")
    SHELTER = "albergues", _("Shelter staff")
    HEALTH = "salud", _("Health staff")
    EDUCATION = "educacion", _("Teachers and school staff")
    LEADERS = "lideres", _("Community leaders")
    UNIONS = "sindicatos", _("Labour unions")
    STUDENTS = "estudiantes", _("Students")
    PUBLIC = "publico", _("General public")
    OTHER = "otro", _("Other")


JUSTICE = (Audience.JUDGES, Audience.PROSECUTORS, Audience.LAWYERS)


class Topic(models.TextChoices):
    TRAFFICKING = "trata", _("Trafficking in persons")
    GBV = "violencia_genero", _("Gender-based violence")
    CHILD_MARRIAGE = "matrimonio_infantil", _("Child, early and forced marriage")
    FORCED_LABOUR = "trabajo_forzoso", _("Forced labour")
    IDENTIFICATION = "identificacion", _("Identifying victims")
    ASSISTANCE = "atencion", _("Assisting survivors")
    MIGRATION = "migracion", _("Safe migration")
    DIGITAL = "captacion_digital", _("Online recruitment")


class Status(models.TextChoices):
    PLANNED = "programada", _("Planned")
    DONE = "realizada", _("Held")
    CANCELLED = "cancelada", _("Cancelled")


class Phase(models.TextChoices):
    """Kirkpatrick's levels: reaction (1) right after, learning (2) before and after, behaviour
    (3) at three months."""

    REACTION = "reaccion", _("Reaction: satisfaction from 1 to 5")
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")
    FOLLOW_UP = "seguimiento", _("Follow-up at 3 months")


REACTION_SCALE = (1, 5)


class PairStatus(models.TextChoices):
    OPEN = "abierto", _("To review")
    SAME = "misma", _("The same person")
    DIFFERENT = "distinta", _("Different people")
