"""`amparo runs_recover`: take back the imports and matching runs whose background worker is gone
(killed, restarted, its machine down), so that they can be started again. The worker's systemd
unit runs it before each start; the pages and the queueing run it too."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from amparo.imports.services import runs_recover as imports_recover
from amparo.linkage.services import runs_recover as matching_recover


class Command(BaseCommand):
    help = "Take back the runs whose background worker is gone, so they can start again."

    def handle(self, *args, **options):
        imports, matching = imports_recover(), matching_recover()
        self.stdout.write(_("%(imports)s imports and %(matching)s matching runs taken back.")
                          % {"imports": imports, "matching": matching})
