"""Executable conventions: pure modules stay pure; views and APIs read through scoped queries."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / "langso"
PURE_MODULES = [
    "geo/names.py",
    "geo/units_source.py",
    "core/tabular.py",
    "demo/generator.py",
    "accounts/roles.py",
    "audit/context.py",
    "registry/cccd.py",
    "registry/ethnicity.py",
    "registry/records.py",
    "registry/profile.py",
    "registry/dedup_rules.py",
    "registry/purposes.py",
    "poverty/standard.py",
    "poverty/conditions.py",
    "poverty/rules.py",
    "poverty/sql.py",
    "poverty/procedure.py",
    "teams/skills.py",
    "teams/targeting.py",
    "infra/import_rows.py",
    "outreach/playlist.py",
    "outreach/geometry.py",
    "outreach/tts/normalize.py",
    "outreach/tts/audio.py",
    "outreach/tts/engines.py",
    "outreach/channels/cap.py",
    "outreach/channels/messaging.py",
    "outreach/channels/adapters.py",
    "reports/indicators.py",
    "reports/gaps.py",
    "reports/mapping.py",
    "reports/charts.py",
    "reports/headlines.py",
    "reports/builder.py",
]
PURE_IMPORTS = {"langso." + m.removesuffix(".py").replace("/", ".") for m in PURE_MODULES}


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_no_django(module):
    imported = _imports(ROOT / module) - PURE_IMPORTS  # pure modules may use each other
    assert not {n for n in imported if n == "django" or n.startswith(("django.", "langso."))}


EDGE_FILES = sorted(
    p for p in ROOT.glob("*/*.py") if p.name.endswith("views.py") or p.name == "api.py"
)


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_and_apis_do_not_query_models_directly(path):
    """Reads go through queries.*_for(user) (scoped); writes through services."""
    source = path.read_text()
    assert ".objects." not in source, f"{path}: use a scoped query or a service"
