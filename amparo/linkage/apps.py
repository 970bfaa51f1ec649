from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "amparo.linkage"
    verbose_name = _("Missing-person reports and record linkage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from amparo.cases.models import Case

        def case_created(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                from amparo.linkage.services import person_changed

                person_changed(instance.person)

        post_save.connect(case_created, sender=Case, weak=False,
                          dispatch_uid="linkage_case_created")
