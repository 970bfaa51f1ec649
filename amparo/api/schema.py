"""The schema says what the API accepts, so that a client (or a fuzzer) built from it is not
refused: a required text that may not be blank has `minLength: 1` (DRF refuses "" there, but
drf-spectacular leaves it out), and so does a reference by code or user name."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class AmparoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        meta = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or meta.get("type") != "string" or "enum" in meta:
            return meta
        blank_refused = (isinstance(field, serializers.CharField) and not field.allow_blank) or (
            isinstance(field, serializers.SlugRelatedField))
        if blank_refused and not meta.get("format"):
            meta["minLength"] = max(1, meta.get("minLength", 0))
        return meta
