"""What every app's API shares: the page of a list, parsing a body through a serializer, and the
version a client edits (If-Match / ETag). Each app's views live in its own `api.py`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class Page(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


def valid(serializer_class, data, **kwargs) -> dict:
    """The body, parsed and checked; a 400 that names each wrong field otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _("Send If-Match with the ETag of the record you edit.")
    default_code = "precondition_required"


def if_match(request) -> int:
    """The version the client edits, from If-Match: "3"; 428 when it is missing or unreadable."""
    header = request.headers.get("If-Match", "").strip()
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise PreconditionRequired from None


def with_etag(response: Response, record) -> Response:
    response["ETag"] = f'"{record.version}"'
    return response
