from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "amparo.monitoring"
    verbose_name = _("Monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.home import home_block_register
        from amparo.monitoring.home import HOME_BLOCKS

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register("alerts", 10, NavItem(_("Alerts"), "monitoring:inbox", "alert.view"))
        menu_register(
            "office", 40,
            NavItem(_("Supervision"), "monitoring:supervision", "supervision.view"),
        )

        from amparo.cases.extensions import AlertSource, alert_source_register
        from amparo.monitoring.choices import Kind
        from amparo.monitoring.selectors import open_alerts, risk_page

        alert_source_register(AlertSource(open_alerts=open_alerts, kinds=lambda: Kind.choices,
                                          risk_page=risk_page))

        # A change to a case recomputes its alerts once committed (the daily run stays).
        from amparo.cases.extensions import cases_changed_register
        from amparo.monitoring.refresh import case_alerts_refresh

        cases_changed_register("alerts", case_alerts_refresh)
