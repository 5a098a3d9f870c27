"""Monthly report under load: the time to build one monthly PDF (``report_pdf``: the month's
dashboard, the charts and WeasyPrint's tagged PDF) on the data set of
``benchmarks/analytics.py`` (200 channels, two years of daily figures, 50,000 posts with 10
snapshots each; its ``load()`` is reused, in a database of its own), for one unit and for the
whole authority, last calendar month. Prints ``<case>_p50_s``, ``<case>_max_s`` over
BENCH_REPORT_RUNS (default 5) builds after a warm-up, ``<case>_pages`` and ``<case>_bytes``.
Target: under 5 s.

Environment: as ``benchmarks/analytics.py`` (BENCH_ANALYTICS_CHANNELS, …_DAYS, …_POSTS).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from importlib.util import module_from_spec
from importlib.util import spec_from_file_location
from pathlib import Path

os.environ["BENCH_DATABASE_SUFFIX"] = "_report" + os.environ.get("BENCH_DATABASE_SUFFIX", "")
# The dashboard benchmark's data set: loaded under another name, as "analytics" is the app.
_spec = spec_from_file_location("bench_analytics", Path(__file__).with_name("analytics.py"))
assert _spec is not None and _spec.loader is not None
bench = module_from_spec(_spec)
sys.modules["bench_analytics"] = bench
_spec.loader.exec_module(bench)  # sets up Django and the throw-away database

from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.models import OrgUnit  # noqa: E402
from accounts.models import User  # noqa: E402
from analytics.models import ReportRun  # noqa: E402
from analytics.reports.content import report_pdf  # noqa: E402
from analytics.reports.selectors import Month  # noqa: E402

RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "5"))


def measure(name: str, unit: OrgUnit, reader: User) -> None:
    month = Month.of(timezone.localdate()).previous()
    run = ReportRun.objects.create(
        unit=unit, month=month.start, language="de", trigger="request", created_by=reader
    )
    data = report_pdf(run)  # warm-up: templates, fonts
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        data = report_pdf(run)
        times.append(time.perf_counter() - started)
    print(f"{name}_p50_s: {statistics.median(times):.2f}")
    print(f"{name}_max_s: {max(times):.2f}")
    print(f"{name}_pages: {len(PdfReader(io.BytesIO(data)).pages)}")
    print(f"{name}_bytes: {len(data)}")


def main() -> None:
    started = time.perf_counter()
    reader, unit = bench.load()
    print(f"channels: {bench.CHANNELS}")
    print(f"posts: {bench.POSTS}")
    print(f"load_s: {time.perf_counter() - started:.1f}")
    measure("report_pdf_one_unit_month", unit, reader)
    assert unit.parent is not None
    measure("report_pdf_authority_month", unit.parent, reader)
    print(f"machine_load_average_1min: {os.getloadavg()[0]:.1f}")
    print(f"machine_cpus: {os.cpu_count()}")


if __name__ == "__main__":
    main()
