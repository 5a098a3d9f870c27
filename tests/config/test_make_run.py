"""`make run` without a database server: the migrations and the demo data must work on the
embedded SQLite too (PostgreSQL-only SQL is guarded by vendor), and the dashboard's
newest-reading table is kept there as well."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _manage(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.development",
        "SPRACHROHR_VAR_DIR": str(var_dir),
    }  # no DATABASE_URL, no REDIS_URL: SQLite and the filesystem broker in var_dir
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_migrations_and_demo_data_load_on_sqlite(tmp_path: Path) -> None:
    for command in (("migrate", "--no-input"), ("load_demo",)):
        done = _manage(tmp_path, *command)
        assert done.returncode == 0, done.stderr[-2000:]
    counts = _manage(
        tmp_path,
        "shell",
        "-c",
        "from analytics.models import PostMetricLatest, PostMetricSnapshot as S;"
        "print(S.objects.values('variant').distinct().count(), PostMetricLatest.objects.count())",
    )
    variants, latest = counts.stdout.split()[-2:]
    assert int(latest) == int(variants) > 0
