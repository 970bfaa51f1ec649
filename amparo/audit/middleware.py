from django.db import transaction


class AuditedTransactionMiddleware:
    """Runs the rest of the request in one transaction and writes its queued access events
    just before the commit. A server error rolls everything back, events included, and an
    event that cannot be written turns the request into an error: nothing is read or changed
    without its record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from amparo.audit.services import events_write

        request._audit_queue = []
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                elif request._audit_queue:
                    events_write(request._audit_queue)
        finally:
            request._audit_queue = None
        return response
