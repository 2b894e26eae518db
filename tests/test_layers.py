"""core, store, operations, export and the CLI must not load Qt (architecture: imports point
inward); core must not load sqlite-utils either."""

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import govdesk
skip = {"govdesk.gui", "govdesk.app", "govdesk.__main__"}
for m in pkgutil.walk_packages(govdesk.__path__, "govdesk."):
    if any(m.name == s or m.name.startswith(s + ".") for s in skip):
        continue
    importlib.import_module(m.name)
print("PySide6" in sys.modules)
"""

CORE = """
import importlib, pkgutil, sys
import govdesk.core
for m in pkgutil.walk_packages(govdesk.core.__path__, "govdesk.core."):
    importlib.import_module(m.name)
print(sorted(k for k in sys.modules if k.split(".")[0] in {"sqlite_utils", "PySide6", "openpyxl", "argon2", "sqlite3"}))
"""


def test_lower_layers_do_not_import_qt():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_core_imports_only_the_standard_library_and_the_calendar():
    out = subprocess.run([sys.executable, "-c", CORE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_gui_does_not_touch_the_store():
    """gui calls operations only: no module under govdesk/gui imports govdesk.store."""
    from pathlib import Path

    import govdesk

    gui = Path(govdesk.__file__).parent / "gui"
    offenders = [
        p.name for p in gui.rglob("*.py")
        if "govdesk.store" in (text := p.read_text("utf-8")) or "db.execute(" in text
        or "db.query(" in text
    ]
    assert offenders == []
