"""The machine line every benchmark prints, so figures can be compared and reproduced."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path


def describe_machine() -> str:
    """nproc, the CPU model, the Python version, the time and the load average."""
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(encoding="utf-8"), re.MULTILINE)
        model = found.group(1).strip() if found else model
    load = " ".join(f"{each:.2f}" for each in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"machine: nproc={os.cpu_count()}, CPU {model}, Python {platform.python_version()}, {now}, load {load}"
