"""What every app's API shares: the page of a list, parsing a body through a serializer, and the
version a client edits (If-Match / ETag). Each app's views live in its own `api.py`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from amparo.accounts.permissions import can
from amparo.audit.services import section_event


class Page(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


def valid(serializer_class, data, **kwargs) -> dict:
    """The body, parsed and checked; a 400 that names each wrong field otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def date_range(params) -> tuple[date, date]:
    """`from` and `to` of a query (YYYY-MM-DD), or a 400 that says how to write them."""
    start, end = (_iso(params.get(name), name) for name in ("from", "to"))
    if end < start:
        raise serializers.ValidationError({"to": [gettext("The end is before the start.")]})
    return start, end


def _iso(text, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise serializers.ValidationError({name: [gettext(
            "Write the date as YYYY-MM-DD, for example 2024-06-30.")]}) from None


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


def allowed(*permissions: str, section: str = "", object_type: str = "") -> list:
    """`permission_classes` for an API view of an app that is not a case file: signed in (401
    otherwise), holding one of `permissions` of the matrix (403 otherwise), and with `section`, each
    read it lets through leaves an access event (`api` and what the path names), as the app's
    pages do. The one way every such API checks and audits."""

    class Allowed(BasePermission):
        def has_permission(self, request, view) -> bool:
            if not any(can(request.user, permission) for permission in permissions):
                return False
            if section and request.method in SAFE_METHODS:
                named = " ".join(str(v) for v in view.kwargs.values())
                section_event(request, section, object_type, reason=f"api {named}".strip())
            return True

    return [IsAuthenticated, Allowed]
