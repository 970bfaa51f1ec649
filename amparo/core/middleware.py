"""Pages and API answers about people are never kept by a browser's or a proxy's cache: an
office computer is shared, and its back button must not show the last identity page."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Static files never reach here (whitenoise answers them first, cached for a year).
        patch_cache_control(response, no_store=True, private=True)
        return response
