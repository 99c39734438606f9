"""Services never import each other; libraries never import services or emulators."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {p.name: next((p / "src").iterdir()).name for p in (ROOT / "services").iterdir() if (p / "src").is_dir()}
EMULATORS = {p.name: next((p / "src").iterdir()).name for p in (ROOT / "emulators").iterdir() if (p / "src").is_dir()}
LIBS = {p.name: [c.name for c in (p / "src").iterdir() if c.is_dir()] for p in (ROOT / "libs").iterdir() if (p / "src").is_dir()}


def imported_top_levels(source_dir: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in source_dir.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_layout_has_the_four_services():
    assert set(SERVICES) >= {"connector", "invoice-sync", "payment-reconciler", "deposit-writer"}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_imports_no_other_service_and_no_emulator(service):
    package = SERVICES[service]
    imports = imported_top_levels(ROOT / "services" / service / "src")
    forbidden = (set(SERVICES.values()) - {package}) | set(EMULATORS.values())
    offenders = {name: sorted(files) for name, files in imports.items() if name in forbidden}
    assert not offenders, f"{service} imports {offenders}"


@pytest.mark.parametrize("lib", sorted(LIBS))
def test_a_library_imports_no_service(lib):
    imports = imported_top_levels(ROOT / "libs" / lib / "src")
    offenders = {name: sorted(files) for name, files in imports.items() if name in set(SERVICES.values())}
    assert not offenders, f"libs/{lib} imports services {offenders}"


@pytest.mark.parametrize("emulator", sorted(EMULATORS))
def test_an_emulator_imports_no_service(emulator):
    imports = imported_top_levels(ROOT / "emulators" / emulator / "src")
    offenders = {name: sorted(files) for name, files in imports.items() if name in set(SERVICES.values())}
    assert not offenders, f"emulators/{emulator} imports services {offenders}"


LIBRARY_PACKAGES = {package for packages in LIBS.values() for package in packages}


@pytest.mark.parametrize("lib", sorted(set(LIBS) - {"ops"}))
def test_no_library_imports_the_ops_tool(lib):
    imports = imported_top_levels(ROOT / "libs" / lib / "src")
    offenders = {name: sorted(files) for name, files in imports.items() if name in set(LIBS["ops"])}
    assert not offenders, f"libs/{lib} imports the ops tool: {offenders}"


def test_the_runtime_imports_no_other_suitebridge_library():
    imports = imported_top_levels(ROOT / "libs" / "runtime" / "src")
    others = LIBRARY_PACKAGES - set(LIBS["runtime"])
    offenders = {name: sorted(files) for name, files in imports.items() if name in others}
    assert not offenders, f"libs/runtime imports {offenders}"


def test_contracts_and_the_netsuite_client_import_no_other_suitebridge_library():
    for lib in ("contracts", "netsuite-client"):
        imports = imported_top_levels(ROOT / "libs" / lib / "src")
        others = LIBRARY_PACKAGES - set(LIBS[lib])
        offenders = {name: sorted(files) for name, files in imports.items() if name in others}
        assert not offenders, f"libs/{lib} imports {offenders}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_imports_neither_the_ops_tool_nor_the_dev_stack(service):
    imports = imported_top_levels(ROOT / "services" / service / "src")
    tooling = set(LIBS["ops"]) | set(LIBS["devstack"])
    offenders = {name: sorted(files) for name, files in imports.items() if name in tooling}
    assert not offenders, f"{service} imports {offenders}"
