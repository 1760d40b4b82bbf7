"""Size limits that protect a batch from hostile or runaway files."""

from __future__ import annotations

from attrs import frozen

MIB = 1024 * 1024


@frozen
class Limits:
    """Ceilings checked before and while a file is read.

    ``max_bytes`` bounds the file itself; ``max_pages`` a PDF's page count;
    ``max_uncompressed`` the summed uncompressed size of a DOCX's zip members
    (checked from the zip directory before anything is inflated, so a zip
    bomb is refused without being expanded) and ``max_zip_ratio`` any single
    member's compression ratio. Both are checked again while parts are
    inflated, on the bytes really produced (a directory may lie), and both
    also bound a PDF's compressed streams, which are inflated and counted
    before PDFium opens the file (images are only held to their declared size).
    """

    max_bytes: int = 50 * MIB
    max_pages: int = 500
    max_uncompressed: int = 200 * MIB
    max_zip_ratio: float = 200.0


DEFAULT_LIMITS = Limits()
