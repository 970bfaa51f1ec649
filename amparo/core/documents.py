"""Which files a case accepts: the type is read from the content, not trusted from the name or
the browser."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from amparo.crypto.envelope import context_for, open_bytes, seal_bytes

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType("pdf", "application/pdf")
PNG = FileType("png", "image/png")
JPEG = FileType("jpg", "image/jpeg")
WEBP = FileType("webp", "image/webp")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text")


def sniff(content: bytes) -> FileType | None:
    """The file's real type from its first bytes (and, for office files, its zip directory)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "mimetype" in names and archive.read("mimetype") == ODT.content_type.encode():
                    return ODT
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    return None


def accepted(content: bytes) -> FileType:
    """The file's type, or a refusal that says what to upload instead."""
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; reduce it or split it.")})
    found = sniff(content)
    if found is None:
        raise ValidationError({"file": _(
            "This kind of file is not accepted. Upload a PDF, a photo (JPG, PNG, WebP) or a "
            "Word or OpenDocument text.")})
    return found


def sealed_store(record, content: bytes, folder: str) -> None:
    """Seal the file under the record's data key, bound to the record, and keep it in the
    storage; `record.storage_name` says where."""
    sealed = seal_bytes(record.data_key, content, context_for(record, "content"))
    record.storage_name = default_storage.save(f"{folder}/{record.pk}.bin", ContentFile(sealed))


def sealed_read(record) -> bytes:
    with default_storage.open(record.storage_name, "rb") as handle:
        return open_bytes(record.data_key, handle.read(), context_for(record, "content"))
