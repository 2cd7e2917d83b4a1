"""The layering rule of DESIGN.md, enforced by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is not installed in this environment"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.split("Contracts:")[-1].replace("0 broken", "")


def test_the_core_loads_without_textual_or_rich():
    """Importing every core module in a fresh interpreter pulls in no UI library."""
    code = (
        "import sys, agent_tui.domain.models, agent_tui.domain.masking, agent_tui.domain.query,"
        " agent_tui.store.customers, agent_tui.store.audit, agent_tui.store.ingest,"
        " agent_tui.config, agent_tui.i18n, data.seed;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'screens')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_screen_runs_sql_or_imports_sqlite3():
    """Queries live in agent_tui/store, each a named function; screens call those."""
    sql = re.compile(r"\bimport sqlite3\b|\.execute\(|\b(?:SELECT|INSERT|UPDATE|DELETE)\s+\w")
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted((ROOT / "screens").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if sql.search(line)]
    assert found == []
    assert sql.search('connection.execute("SELECT name FROM customers WHERE id = ?")')
