"""House rules that keep the layers apart."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_insight_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "insight").rglob("*.py")
                 if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_insight_never_imports_pages_or_components():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "insight").rglob("*.py")
                 if imported_modules(p) & {"pages", "components"}]
    assert offenders == []


def test_only_components_data_holds_cache_decorators():
    offenders = [str(p.relative_to(ROOT)) for folder in ("pages", "components") for p in (ROOT / folder).glob("*.py")
                 if ("cache_data" in p.read_text() or "cache_resource" in p.read_text())
                 and p.name != "data.py"]
    assert offenders == []


def test_only_components_state_touches_session_state_and_query_params():
    offenders = [str(p.relative_to(ROOT)) for folder in ("pages", "components") for p in (ROOT / folder).glob("*.py")
                 if ("session_state" in p.read_text() or "query_params" in p.read_text())
                 and p.name != "state.py"]
    assert offenders == []


def test_no_page_unsafe_html():
    offenders = [str(p.relative_to(ROOT)) for folder in ("pages", "components") for p in (ROOT / folder).glob("*.py")
                 if "unsafe_allow_html" in p.read_text()]
    assert offenders == []


def test_every_page_keeps_itself_inside_the_app_frame():
    """Deep links on a fresh server would otherwise run a page without app.py (see components/frame.py)."""
    offenders = [p.name for p in (ROOT / "pages").glob("*.py") if "ensure_app_frame()" not in p.read_text()]
    assert offenders == []
