"""Write docs/asyncapi/<service>.json for every service, from its declared SUBSCRIBES/PUBLISHES."""
import importlib
import json
from pathlib import Path

from contracts.asyncapi import document

ROOT = Path(__file__).resolve().parents[1]
target = ROOT / "docs" / "asyncapi"
target.mkdir(parents=True, exist_ok=True)
for service_dir in sorted((ROOT / "services").iterdir()):
    package = service_dir.name.replace("-", "_")
    app = importlib.import_module(f"{package}.app")
    spec = document(app.SERVICE, list(app.SUBSCRIBES), list(app.PUBLISHES))
    (target / f"{app.SERVICE}.json").write_text(json.dumps(spec, indent=2) + "\n")
    print(f"docs/asyncapi/{app.SERVICE}.json: {len(spec['channels'])} channels")
