"""The exceptions tidings raises on purpose.

    TidingsError                    base: the CLI prints "Error: <message>" and exits 1
    ├── RejectedReportError         one input cannot be used; the batch records it and goes on
    ├── ConfigError                 a bad setting, a missing model, an unknown format
    │   └── MissingExtraError       an optional dependency is not installed
    ├── StoreError                  the database cannot be opened, migrated or written
    └── NotFoundError               a report, fact or group id that does not exist

Programmer errors stay TypeError/ValueError and are never caught.
"""

from __future__ import annotations


class TidingsError(Exception):
    """Base of every error tidings raises on purpose."""


class RejectedReportError(TidingsError):
    """An input (file, record, page) that cannot become a report.

    `source` names the input (path, URL, "path:line"), `stage` the step that
    refused it ("read", "decode", "parse", "language"), `reason` says why.
    """

    def __init__(self, source: str, stage: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.stage = stage
        self.reason = reason


class ConfigError(TidingsError):
    """A setting, file or installed component is wrong; the message names the fix."""


class MissingExtraError(ConfigError):
    """An optional dependency is missing: the message says which extra to install."""


class StoreError(TidingsError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(TidingsError):
    """A report, fact or group that does not exist."""

    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"no {what} with id {ident!r}")
        self.what = what
        self.ident = ident
