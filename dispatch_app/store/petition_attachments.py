"""Petition attachments (photos, documents) kept as files, addressed by their SHA-256.

The database holds only the metadata (in the petition detail); the bytes live under one
directory: ``<root>/<first two hex digits>/<sha256><suffix>``. Content addressing makes a
re-sent photo cost nothing, lets anyone verify a file against the hash recorded at intake,
and means a file is never overwritten with different content. For a control room on
PostgreSQL the root must be a directory every workstation shares.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path

from platformdirs import user_data_dir

from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.petitions import MAX_ATTACHMENT_BYTES, Attachment

ENV_DIR = "DISPATCH_ATTACHMENTS_DIR"
_CHUNK = 1 << 20


def default_attachments_dir() -> Path:
    """$DISPATCH_ATTACHMENTS_DIR, or ``attachments`` in the user data directory."""
    env = os.environ.get(ENV_DIR, "").strip()
    if env:
        return Path(env)
    return Path(user_data_dir("dispatch-desk", appauthor=False)) / "attachments"


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, uri: str) -> Path:
        path = (self.root / uri).resolve()
        if self.root.resolve() not in path.parents:
            raise ValidationError(
                "attachment",
                "error.attachment_uri",
                f"attachment location {uri!r} is outside the attachments directory",
                "附件位置无效",
            )
        return path

    def add(self, source: Path, name: str | None = None) -> Attachment:
        """Copy ``source`` in (hashing as it copies) and return its metadata.

        Raises ValidationError when the file cannot be read or is too large; a partial copy is
        never left behind under its final name.
        """
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise ValidationError(
                "attachment",
                "error.attachment_unreadable",
                f"cannot read {source}: {exc.strerror}",
                f"无法读取附件文件：{source.name}",
            ) from None
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                "attachment",
                "error.attachment_size",
                f"{source.name} is {size} bytes; at most {MAX_ATTACHMENT_BYTES}",
                f"附件过大（最大{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB）",
            )
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            suffix = source.suffix.lower()[:10]
            uri = f"{sha[:2]}/{sha}{suffix}"
            final = self._path(uri)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                tmp.unlink()
            else:
                os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ValidationError(
                "attachment",
                "error.attachment_unreadable",
                f"cannot store {source.name}: {exc.strerror}",
                f"附件保存失败：{source.name}",
            ) from None
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return Attachment(
            name=(name or source.name).strip() or source.name,
            media_type=media_type,
            size_bytes=size,
            sha256=sha,
            uri=uri,
        )

    def open_path(self, attachment: Attachment) -> Path:
        """The stored file, checked against the hash recorded at intake.

        Raises ValidationError when the file is missing or its content no longer matches.
        """
        path = self._path(attachment.uri)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            raise ValidationError(
                "attachment",
                "error.attachment_missing",
                f"attachment {attachment.name} is missing from {self.root}",
                f"附件“{attachment.name}”文件缺失",
            ) from None
        if digest.hexdigest() != attachment.sha256:
            raise ValidationError(
                "attachment",
                "error.attachment_altered",
                f"attachment {attachment.name} no longer matches its recorded SHA-256",
                f"附件“{attachment.name}”内容与登记时不符",
            )
        return path
