"""Evidence files for external training: a PDF or an image, judged by content, not by name."""

import hashlib
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}
PDF_MAGIC = b"%PDF-"


def max_evidence_bytes() -> int:
    return int(getattr(settings, "ATTUNE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class EvidenceFile:
    content: ContentFile
    content_type: str
    extension: str
    sha256: str

    @property
    def storage_name(self) -> str:
        # A random name: the uploaded name is never used, so it cannot carry a path or a lie.
        return f"{uuid.uuid4().hex}.{self.extension}"


def _read_limited(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_too_big(limit))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_too_big(limit))
    return data


def _too_big(limit: int) -> str:
    return _("The evidence file is too large: the limit is %(megabytes)s MB.") % {
        "megabytes": limit // (1024 * 1024)
    }


def validate_evidence(upload) -> EvidenceFile:
    """Check an uploaded evidence file and return it ready to store, or raise with a reason."""
    limit = max_evidence_bytes()
    data = _read_limited(upload, limit)
    if not data:
        raise ValidationError(_("The evidence file is empty."))
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(PDF_MAGIC):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("The evidence file is not a complete PDF."))
        return EvidenceFile(ContentFile(data), "application/pdf", "pdf", digest)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Upload a PDF or an image (PNG, JPEG or WebP).")) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("The image is too large to process.")) from exc
    if kind not in IMAGE_TYPES:
        raise ValidationError(_("Upload a PDF or an image (PNG, JPEG or WebP)."))
    content_type, extension = IMAGE_TYPES[kind]
    return EvidenceFile(ContentFile(data), content_type, extension, digest)
