from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from amparo.core.versioning import StaleEdit


def handler(exc, context):
    """A service's refusal becomes 400 with its messages; a stale edit 412 with what changed."""
    if isinstance(exc, StaleEdit):
        return Response(
            {"detail": exc.messages[0],
             "changes": [{"field": c.field, "before": c.before, "now": c.now}
                         for c in exc.changes]},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, ValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
