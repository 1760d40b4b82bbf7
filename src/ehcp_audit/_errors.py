"""The exception tree. Every error a user can meet has a stable ``code``.

::

    EhcpAuditError                    (code varies; never raised itself)
    ├── InputError                    the plan could not be audited
    │   ├── UnsupportedFormat         unsupported_format
    │   ├── Unreadable                unreadable
    │   ├── Encrypted                 encrypted
    │   ├── NoTextLayer               no_text_layer
    │   ├── EmptyDocument             empty
    │   ├── NotAnEhcp                 not_an_ehcp
    │   └── TooLarge                  too_large
    └── ConfigError                   config_error (rule data or settings are wrong)

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
    """The input could not be audited; the CLI exits 2 and a batch moves on."""

    code = "input_error"


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class Unreadable(InputError):
    code = "unreadable"


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


ERROR_CODES: tuple[str, ...] = (
    UnsupportedFormat.code,
    Unreadable.code,
    Encrypted.code,
    NoTextLayer.code,
    EmptyDocument.code,
    NotAnEhcp.code,
    TooLarge.code,
)
