"""Show, sentence by sentence, what the extractor read in one report: mentions, candidates, drafts.

Usage: python bench/explain.py REPORT.json [REPORT.json ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tidings.extract.pipeline import Extractor
from tidings.model import Report, make_report_id


def main() -> int:
    extractor = Extractor()
    for name in sys.argv[1:]:
        record = json.loads(Path(name).read_text())
        report = Report(
            make_report_id(record["text"]),
            record["text"],
            external_id=record.get("id"),
            published=record.get("published"),
            outlet=record.get("outlet"),
        )
        print(f"===== {record.get('id')} published={report.published}")
        for fact in extractor.extract(report):
            f = {k: v for k, v in fact.fields.items() if v is not None and k not in ("amount", "currency")}
            print(f"  {fact.kind:11} {f}\n      <- {fact.evidence.quote[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
