import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.workbook import BadFile
from amparo.imports.execute import import_run
from amparo.imports.mapping import BadMapping, mapping_load
from amparo.imports.models import ImportRun
from amparo.imports.parsers import Unreadable
from amparo.imports.propose import propose, to_yaml
from amparo.imports.report import report_text, report_unpack, report_xlsx, summary
from amparo.imports.services import import_undo


class Command(BaseCommand):
    help = ("Bring legacy workbooks in: `propose FILE > mapping.yaml`, then `cases FILE "
            "--mapping mapping.yaml --user NAME --dry-run`, then without --dry-run; `list`; "
            "`undo RUN --user NAME`.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        proposal = actions.add_parser("propose", help="print a mapping to check")
        proposal.add_argument("file")
        proposal.add_argument("--office", default="lima",
                              help="default office for rows that do not say (its code)")
        proposal.add_argument("--sheets", nargs="*", default=None, help="only these sheets")
        proposal.add_argument("--header-row", default="auto",
                              help='row that holds the headers, or "auto"')
        cases = actions.add_parser("cases", help="check (--dry-run) or import the rows")
        cases.add_argument("file")
        cases.add_argument("--mapping", required=True, help="the mapping YAML")
        cases.add_argument("--user", required=True,
                           help="the coordinator who imports (their username)")
        cases.add_argument("--dry-run", action="store_true",
                           help="check and report, change nothing")
        cases.add_argument("--partial", action="store_true",
                           help="import the valid rows even if others are rejected")
        cases.add_argument("--report", help="also write the report as an XLSX workbook")
        actions.add_parser("list", help="the imports recorded, newest first")
        undo = actions.add_parser("undo", help="take back a whole import")
        undo.add_argument("run", help="the import's id (see `list`; its first 8 characters do)")
        undo.add_argument("--user", required=True)

    def handle(self, *args, action, **options):
        with translation.override("es"):  # the people who run it read Spanish
            try:
                getattr(self, f"_{action}")(**options)
            except (BadFile, Unreadable, BadMapping) as error:
                raise CommandError(str(error)) from None
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            except PermissionDenied:
                raise CommandError(_("That person may not import in that office: it takes a "
                                     "coordinator of the mapping's office.")) from None

    def _propose(self, *, file, office, sheets, header_row, **options):
        proposal = propose(file, office=office, sheets=sheets or "*", header_row=header_row)
        sys.stdout.write(to_yaml(proposal))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user “%(name)s”; check the username.")
                               % {"name": username})
        return user

    def _cases(self, *, file, mapping, user, dry_run, partial, report, **options):
        path = Path(mapping)
        if not path.exists():
            raise CommandError(_("There is no mapping file %(path)s; write one with "
                                 "`amparo import propose`.") % {"path": mapping})
        result = import_run(actor=self._user(user), path=file,
                            mapping=mapping_load(path.read_text(encoding="utf-8")),
                            dry_run=dry_run, partial=partial)
        run = result.run
        headers, lines = report_unpack(run.unseal_bytes("report"))
        self.stdout.write(report_text(run, lines, headers))
        if report:
            report_xlsx(run, headers, lines, report)
            self.stdout.write(_("Report: %(path)s") % {"path": report})
        self.stdout.write(_("Import %(id)s") % {"id": run.pk})
        if run.status in (ImportRun.Status.REFUSED, ImportRun.Status.FAILED):
            raise CommandError(run.error or _("Nothing was imported."))

    def _list(self, **options):
        for run in ImportRun.objects.select_related("office", "created_by").defer(
                "file_sealed", "report_sealed")[:50]:
            self.stdout.write(f"{run.pk}  {run.created_at:%Y-%m-%d %H:%M}  {run.office.code}  "
                              f"{run.get_status_display()}  {run.file_name}  "
                              f"{run.created_by.username}  {summary(run.counts)}")

    def _undo(self, *, run, user, **options):
        found = [r for r in ImportRun.objects.filter(status=ImportRun.Status.DONE).only("id")
                 if str(r.pk).startswith(run)]
        if len(found) != 1:
            raise CommandError(_("“%(run)s” is not a finished import (or several start so); "
                                 "see `amparo import list`.") % {"run": run})
        undone = import_undo(actor=self._user(user), run=found[0])
        self.stdout.write(_("Undone: %(file)s (%(counts)s).")
                          % {"file": undone.file_name, "counts": summary(undone.counts)})
