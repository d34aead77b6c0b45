"""What one solver returns for one compiled dinner (index-based, internal to the core)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from seating.result import Status


@dataclass
class DinnerOutcome:
    """One solver's answer for one compiled dinner (index-based, internal)."""

    status: Status
    table_of: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    method: str = ""
    runtime_s: float = 0.0
    reason: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)
