"""The exception tree. Every error a user can meet has a stable ``code``.

::

    EhcpAuditError                    (code varies; never raised itself)
    ├── InputError                    the plan could not be audited
    │   ├── UnsupportedFormat         unsupported_format
    │   ├── Unreadable                unreadable
    │   │   ├── NotAFile              unreadable (a folder, pipe, device or socket)
    │   │   └── TextNotPath           unreadable (audit() given the plan's text; also a TypeError)
    │   ├── Encrypted                 encrypted
    │   ├── NoTextLayer               no_text_layer
    │   ├── EmptyDocument             empty
    │   ├── NotAnEhcp                 not_an_ehcp
    │   └── TooLarge                  too_large
    ├── ConfigError                   config_error (rule data or settings are wrong)
    └── OutputError                   output_error (the report could not be written)

Codes are part of the JSON output and the CLI's stderr line
(``error: FILE: CODE: message``), so other tools can act on them: never
rename one. Messages are plain English for a case worker, and never contain
plan text (privacy).
"""

from __future__ import annotations


class EhcpAuditError(Exception):
    """Base of every error ehcp-audit raises on purpose."""

    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(EhcpAuditError):
    """The input could not be audited; the CLI exits 2 and a batch moves on.

    ``sha256`` and ``format`` describe the bytes that were refused, when they
    were read at all (not for a missing file or one over ``max_bytes``), so an
    error report can name them without reading the file a second time: a
    second read could block, or see different bytes.
    """

    code = "input_error"
    sha256: str | None = None
    format: str | None = None


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class Unreadable(InputError):
    code = "unreadable"


class NotAFile(Unreadable):
    """A folder, named pipe, device or socket: only regular files are opened.

    Opening a pipe blocks until something writes to it, and a device can
    stream for ever, so these are refused from ``os.stat`` before any open.
    """


class TextNotPath(Unreadable, TypeError):
    """``audit()`` was given a str that is a plan's text, not the path of a file.

    A str passed to ``audit`` is a path; one that names no file and holds a
    line break, or is longer than any path can be, is text passed by
    mistake, and would otherwise be refused as a missing file with a
    misleading message. It is also a :class:`TypeError` (the wrong kind of
    argument), so code catching either sees it.
    """


class Encrypted(InputError):
    code = "encrypted"


class NoTextLayer(InputError):
    code = "no_text_layer"


class EmptyDocument(InputError):
    code = "empty"


class NotAnEhcp(InputError):
    code = "not_an_ehcp"


class TooLarge(InputError):
    code = "too_large"


class ConfigError(EhcpAuditError):
    """Rule data, a section-variant file or a setting is malformed."""

    code = "config_error"


class OutputError(EhcpAuditError):
    """The report could not be written: a missing or read-only folder, a full disk.

    Checked before the audit where it can be (so a long audit is not wasted),
    and raised for any failure while writing; the CLI exits 2. An existing
    report at the path is left as it was. ``path`` is where it was going, when
    that is not the output file the user named (``<stdout>``).
    """

    code = "output_error"
    path: str | None = None


ERROR_CODES: tuple[str, ...] = (
    UnsupportedFormat.code,
    Unreadable.code,
    Encrypted.code,
    NoTextLayer.code,
    EmptyDocument.code,
    NotAnEhcp.code,
    TooLarge.code,
)
