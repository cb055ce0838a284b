"""House rules that keep the layers apart."""

from __future__ import annotations

import ast
import re
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


# ---- the layers: pages -> components -> views -> insight (issue 12) ------------------------------------------
LAYERS = {"insight": 0, "views": 1, "components": 2, "pages": 3}
FIRST_PARTY = set(LAYERS)


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(first-party module imported, line, inside a function?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested.update(id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Import | ast.ImportFrom))
    found = []
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        found.extend((name, node.lineno, id(node) in nested) for name in names if name.split(".")[0] in FIRST_PARTY)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_every_import_points_down_the_layers():
    """A module imports its own layer or a lower one, never a higher one: pages -> components -> views -> insight."""
    upward = [f"{path.relative_to(ROOT)}:{line} imports {name}"
              for folder, level in LAYERS.items() for path in _modules(folder)
              for name, line, _ in _imports(path) if LAYERS[name.split(".")[0]] > level]
    assert upward == []


def test_no_project_import_hides_inside_a_function():
    """In the app's layers, imports of the project's own modules sit at the top of the file, in plain sight.
    (Inside insight/ a lazy import between its own modules is allowed; the rule above still sees it.)"""
    hidden = [f"{path.relative_to(ROOT)}:{line} imports {name}" for folder in ("views", "components", "pages")
              for path in _modules(folder) for name, line, inside in _imports(path) if inside]
    assert hidden == []


def test_the_cache_layer_imports_only_insight_and_views():
    """components/data.py is fed by the layers below it and feeds the ones above."""
    wrong = [f"components/data.py:{line} imports {name}" for name, line, _ in _imports(ROOT / "components" / "data.py")
             if name.split(".")[0] not in ("insight", "views")]
    assert wrong == []


COUNCIL_LITERALS = re.compile(r"\bEssex\b|(?<![\d.,])70(?![\d.,%])|(?<![\d.,])69(?![\d.,%])")


def test_no_council_fact_is_written_into_pages_components_or_views():
    """Names and counts of the council's areas come from its configuration and data, so another council's
    dataset shows its own (comments and docstrings may name Essex as an example)."""
    offenders = []
    for folder in ("pages", "components", "views"):
        for path in _modules(folder):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                          and node.body and isinstance(node.body[0], ast.Expr)
                          and isinstance(node.body[0].value, ast.Constant)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                        and COUNCIL_LITERALS.search(node.value):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
                elif isinstance(node, ast.Constant) and type(node.value) is int and node.value in (69, 70):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert offenders == []


def test_no_script_edits_sys_path():
    """The project installs as a package and a script's own folder is on the path already (issue 12)."""
    edits = [str(path.relative_to(ROOT)) for folder in ("scripts", "harness", "deploy")
             for path in (ROOT / folder).rglob("*.py")
             if "node_modules" not in path.parts and re.search(r"sys\.path\.(insert|append)",
                                                                path.read_text(encoding="utf-8"))]
    assert edits == []
