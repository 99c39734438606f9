"""Write the JSON Schema snapshot of every contract event (make contracts-snapshot)."""
import json
from pathlib import Path

from contracts.registry import TOPIC_EVENTS, snapshot_name

target = Path(__file__).resolve().parents[1] / "libs" / "contracts" / "tests" / "snapshots"
target.mkdir(parents=True, exist_ok=True)
for events in TOPIC_EVENTS.values():
    for name, model in events.items():
        (target / f"{snapshot_name(name, model)}.json").write_text(json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n")
print(f"snapshots written to {target}")
