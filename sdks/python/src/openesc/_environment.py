"""An opened environment: its value, its projections, and look-ups by property path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from openesc._path import MISSING, value_at
from openesc._secret import Secret
from openesc._values import EscValue, from_value

if TYPE_CHECKING:
    from collections.abc import Mapping

    from openesc.v1.diagnostic_pb2 import Diagnostic
    from openesc.v1.open_pb2 import ProjectedValue, ResolveEnvironmentResponse

ProjectedText = Union[str, Secret[str]]
"""A projected text (an environment variable, a file's content): a Secret when it is secret."""


@dataclass(frozen=True)
class OpenedEnvironment:
    """An opened environment."""

    revision: int
    """The revision that was opened."""
    value: dict[str, EscValue]
    """The evaluated ``values``, secrets as Secret."""
    environment_variables: dict[str, ProjectedText] = field(default_factory=dict)
    """The ``environmentVariables`` projection: name → text."""
    files: dict[str, ProjectedText] = field(default_factory=dict)
    """The ``files`` projection: variable name → file content."""
    pulumi_config: EscValue = None
    """The ``pulumiConfig`` value, or None."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Warnings from the evaluation."""

    def get(self, path: str, default: EscValue = None) -> EscValue:
        """The value at a property path (``db.password``, ``hosts[0]``, ``a["b.c"]``), or ``default``."""
        found = value_at(self.value, path)
        return default if found is MISSING else found


def opened_environment(res: ResolveEnvironmentResponse) -> OpenedEnvironment:
    """The OpenedEnvironment of a ResolveEnvironment response."""
    root = from_value(res.value) if res.HasField("value") else {}
    return OpenedEnvironment(
        revision=res.revision,
        value=root if isinstance(root, dict) else {},
        environment_variables=_projected(res.environment_variables),
        files=_projected(res.files),
        pulumi_config=from_value(res.pulumi_config) if res.HasField("pulumi_config") else None,
        diagnostics=list(res.diagnostics),
    )


def _projected(m: Mapping[str, ProjectedValue]) -> dict[str, ProjectedText]:
    return {k: (Secret(m[k].value) if m[k].secret else m[k].value) for k in sorted(m)}
