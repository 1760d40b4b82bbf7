"""Find the plans a batch audits under the paths it was given.

Folders are walked recursively (symbolic links to folders are not followed,
so a link loop cannot hang the walk); ``.docx``, ``.pdf``, ``.txt`` and
``.md`` files are kept, whatever the case of the suffix. Word's lock files
(``~$plan.docx``, left beside a document that is open) and hidden files and
folders (``.name``) are skipped: neither is a plan. A file named directly is
always kept, so that its audit can say what is wrong with it. The batch's own
output folder is never searched (its audit forms are DOCX files too).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

from attrs import frozen

__all__ = ["SUFFIXES", "Found", "discover", "skipped"]

SUFFIXES = frozenset({".docx", ".pdf", ".txt", ".md"})


@frozen
class Found:
    """A plan file: ``path`` to read, ``file`` the name every output gives it.

    ``file`` is the path relative to the folder it was found under (the file
    as given when it was named directly), with ``/`` separators; when two
    folders hold the same relative name, both keep the folder as given in front.
    """

    path: str
    file: str


def skipped(name: str) -> bool:
    """True for a Word lock file or a hidden file or folder."""
    return name.startswith(("~$", "."))


def discover(paths: Sequence[str], exclude: Iterable[str] = ()) -> list[Found]:
    """The plans under ``paths``, each once (by real path), in a stable order.

    ``exclude`` names folders not to search (the output folder). A path that
    does not exist raises :class:`FileNotFoundError` naming it.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    found: list[tuple[str, str, str]] = []  # (path, relative name, name as given)
    for given in paths:
        if os.path.isdir(given):
            for path in _walk(given, excluded):
                relative = PurePath(os.path.relpath(path, given)).as_posix()
                found.append((path, relative, PurePath(path).as_posix()))
        elif os.path.lexists(given):
            found.append((given, PurePath(given).as_posix(), PurePath(given).as_posix()))
        else:
            raise FileNotFoundError(given)
    return _unique(found)


def _walk(folder: str, excluded: set[str]) -> list[str]:
    """Plan files under ``folder``, sorted, skipping lock files, hidden entries and ``excluded``."""
    kept: list[str] = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(
            name
            for name in folders
            if not skipped(name) and os.path.realpath(os.path.join(root, name)) not in excluded
        )
        for name in sorted(files):
            path = os.path.join(root, name)
            if (
                not skipped(name)
                and Path(name).suffix.lower() in SUFFIXES
                and os.path.isfile(path)  # a regular file, or a link to one: no FIFOs
            ):
                kept.append(path)
    return kept


def _unique(found: list[tuple[str, str, str]]) -> list[Found]:
    """Each real file once; names that clash keep the folder as given in front."""
    seen: set[str] = set()
    kept: list[tuple[str, str, str]] = []
    for entry in found:
        real = os.path.realpath(entry[0])
        if real not in seen:
            seen.add(real)
            kept.append(entry)
    counts: dict[str, int] = {}
    for _, relative, _ in kept:
        counts[relative] = counts.get(relative, 0) + 1
    return [
        Found(path=path, file=relative if counts[relative] == 1 else given)
        for path, relative, given in kept
    ]
