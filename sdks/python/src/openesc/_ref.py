"""Environment references: org/project/env[@version]."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openesc._errors import invalid

_SEGMENT = re.compile(r"[A-Za-z0-9._-]{1,100}")


@dataclass(frozen=True)
class EnvironmentRef:
    """Names an environment and a version: a revision number, a revision tag or ``latest``
    (``""`` means the latest revision)."""

    org: str
    project: str
    environment: str
    version: str = ""

    def __str__(self) -> str:
        name = f"{self.org}/{self.project}/{self.environment}"
        return f"{name}@{self.version}" if self.version else name


def parse_ref(ref: str | EnvironmentRef, default_org: str | None = None) -> EnvironmentRef:
    """Parses ``org/project/env``, ``org/project/env@12`` or ``org/project/env@stable``; with a
    ``default_org``, ``project/env`` names an environment of that org. Raises InvalidError."""
    if isinstance(ref, EnvironmentRef):
        return ref
    name, at, version = ref.partition("@")
    parts = name.split("/")
    if len(parts) == 2 and default_org:
        parts.insert(0, default_org)
    if len(parts) != 3:
        raise invalid(f'invalid environment reference "{ref}": expected org/project/environment[@version]')
    for segment in parts:
        if not _SEGMENT.fullmatch(segment):
            raise invalid(f"invalid environment reference \"{ref}\": \"{segment}\" must be 1-100 letters, digits, '-', '_' or '.'")
    if at and not version:
        raise invalid(f'invalid environment reference "{ref}": empty version after "@"')
    return EnvironmentRef(parts[0], parts[1], parts[2], version)
