"""Architecture contracts: imports only point down the layers, no module imports in a circle,
and no import hides inside a function to dodge one.

Layers, lowest first (a module may import its own layer and those below):
  0 foundation   settings helpers, hashing, addresses, tokens, the data map, queueing by name
  1 models       the tables
  2 domain       counts, the outbox, email building, aggregates, abuse checks
  3 services     workflows and staff decisions (one domain error each)
  4 edges        views, admin, forms, tasks, URLs, middleware, management commands
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pausecampaign", "pledges", "briefings")

LAYERS = {
    0: [
        "pausecampaign.env", "pausecampaign.settings", "pausecampaign.ids", "pausecampaign.client_ip",
        "pausecampaign.mail", "pausecampaign.logs", "pausecampaign.local_cache", "pausecampaign.uploads",
        "pausecampaign.notice", "pausecampaign.checks", "pausecampaign.celery", "pausecampaign.jobs",
        "pausecampaign", "pledges.addresses", "pledges.hashing", "pledges.tokens", "pledges.disclosure",
        "pledges.data_map", "pledges.personal_data", "pledges.sign_in", "pledges.apps", "pledges",
        "briefings.converters", "briefings.apps", "briefings",
    ],
    1: ["pledges.models", "briefings.models"],
    2: [
        "pledges.counting", "pledges.ratelimit", "pledges.abuse", "pledges.outbox", "pledges.emails",
        "pledges.schools", "pledges.export", "pledges.invalidation", "pledges.aggregates", "pledges.charts",
        "pledges.share_image", "pledges.accounts", "pledges.ledger", "pledges.constituencies", "briefings.markdown",
        "briefings.revisions",
        "briefings.positions", "pledges.kept_pages",
    ],
    3: [
        "pledges.services", "pledges.moderation", "pledges.subject_access", "pledges.retention",
        "pledges.resolutions", "pledges.action_plan.services", "pledges.action_plan.calendar", "pledges.action_plan",
    ],
    4: [
        "pledges.views", "pledges.admin", "pledges.action_plan.views", "pledges.action_plan.forms",
        "pledges.action_plan.urls", "pledges.forms", "pledges.adapter", "pledges.tasks", "pledges.urls",
        "pledges.templatetags", "pledges.management", "briefings.views", "briefings.admin", "briefings.urls",
        "briefings.sitemaps", "briefings.context_processors", "briefings.templatetags", "briefings.management",
        "pausecampaign.urls", "pausecampaign.middleware", "pausecampaign.health", "pausecampaign.context_processors",
        "pausecampaign.wsgi", "pausecampaign.asgi", "pausecampaign.bench_views",
    ],
}  # fmt: skip

# Imports inside functions that are not there to dodge a cycle.
ALLOWED_LOCAL_IMPORTS = {
    ("pledges.apps", "pausecampaign.checks"): "Django's way to register system checks once apps are ready",
    ("pledges.apps", "pledges.sign_in"): "Django's way to connect a signal receiver once apps are ready",
}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def layer_of(module: str) -> int:
    best, depth = None, -1
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = layer, prefix.count(".")
    assert best is not None, f"{module} is in no layer: add it to LAYERS in tests/test_architecture.py"
    return best


def package_of(path: Path) -> str:
    return ".".join(path.parent.relative_to(ROOT).parts)


def imports(path: Path, known: dict[str, Path], *, local_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = []
    if local_only:
        for func in ast.walk(tree):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nodes += [n for n in ast.walk(func) if isinstance(n, (ast.Import, ast.ImportFrom))]
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:  # "from . import x", "from ..models import y": anchor it to this file's package
                anchor = package_of(path).split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        found |= {name for name in names if name.split(".")[0] in PACKAGES}
    return found


def resolve(name: str, known: dict[str, Path]) -> str:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {resolve(i, known) for i in imports(path, known)} - {name} for name, path in known.items()}


def test_every_module_sits_in_a_layer_and_imports_only_downwards():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            if layer_of(target) > layer_of(module):
                wrong.append(f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})")
    assert wrong == []


def test_no_module_imports_in_a_circle():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_import_hides_inside_a_function():
    known = modules()
    hidden = []
    used = set()
    for module, path in known.items():
        for target in imports(path, known, local_only=True):
            if (module, resolve(target, known)) in ALLOWED_LOCAL_IMPORTS:
                used.add((module, resolve(target, known)))
            else:
                hidden.append(f"{module} imports {target} inside a function")
    assert hidden == []
    assert set(ALLOWED_LOCAL_IMPORTS) - used == set(), "an allowance nothing needs any more: remove it"


def test_relative_imports_are_seen_too(tmp_path, monkeypatch):
    package = tmp_path / "pledges" / "views"
    package.mkdir(parents=True)
    source = package / "probe.py"
    source.write_text("from ..models import Pledge\nfrom . import api\nfrom .public import x\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    known = {"pledges.models": source, "pledges.views.api": source, "pledges.views.public": source}
    found = {resolve(name, known) for name in imports(source, known)}
    assert found == {"pledges.models", "pledges.views.api", "pledges.views.public"}


def test_the_readme_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Code layout", 1)[1]
    missing = []
    for name, path in modules().items():
        if path.name == "__init__.py":
            continue
        if f"`{path.name}`" not in layout and f"{path.name}" not in layout:
            missing.append(name)
    assert missing == []
