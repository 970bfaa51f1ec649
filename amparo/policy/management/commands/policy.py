"""`amparo policy load` adds the shipped structure of the national policy (and the PNAT before
it) without touching what the team has completed; `amparo policy report --edition 2025-2026
--format pdf|docx --out FILE` writes the edition's draft report, the same as the page button."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from amparo.audit.services import event_record
from amparo.policy import report, services
from amparo.policy.models import Edition


class Command(BaseCommand):
    help = "The policy watchdog: load the policy's structure, or write an edition's report."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="add the shipped structure (PNFTP, PNAT)")
        load.add_argument("--file", help="another structure file (YAML) instead")
        draft = actions.add_parser("report", help="an edition's draft report")
        draft.add_argument("--edition", required=True, help="its code, such as 2025-2026")
        draft.add_argument("--format", choices=sorted(report.FORMATS), default="pdf")
        draft.add_argument("--out", required=True, help="the file to write")
        draft.add_argument("--language", default="es", choices=["es", "en"])

    def handle(self, *args, **options):
        if options["action"] == "load":
            loaded = ([services.structure_load(options["file"])] if options["file"]
                      else services.structure_load_shipped())
            for item in loaded:
                self.stdout.write(f"{item.instrument.code}: {item.created} added, "
                                  f"{item.kept} kept as they were")
            return
        with translation.override(options["language"]):
            edition = Edition.objects.filter(code=options["edition"]).first()
            if edition is None:
                codes = ", ".join(Edition.objects.values_list("code", flat=True)) or "—"
                raise CommandError(_("No edition %(code)s; the editions are: %(codes)s.")
                                   % {"code": options["edition"], "codes": codes})
            _content_type, make = report.FORMATS[options["format"]]
            out = Path(options["out"])
            out.write_bytes(make(report.draft(edition)))
        event_record(action="export", actor=None, actor_username="(amparo policy report)",
                     object_type="policy_edition", object_id=edition.code, section="policy",
                     reason=f"report {options['format']} to {out.name}")
        self.stdout.write(f"{out} ({out.stat().st_size // 1024} KB)")
