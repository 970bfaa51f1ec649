from django.conf import settings

from amparo.core.navigation import navigation_for


def shell(request):
    """What the base layout needs on every page."""
    return {
        "amparo_demo": settings.AMPARO_DEMO,
        # Evaluated only by templates that draw the menu (not by HTMX partials).
        "navigation": lambda: (navigation_for(request.user, request.path)
                               if hasattr(request, "user") else []),
    }
