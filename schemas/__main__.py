"""Write the JSON Schema of every topic's message model to ``schemas/json``.

python -m schemas          # rewrite the files
python -m schemas --check  # exit 1 if a file differs from its model
"""

import sys
from pathlib import Path

from schemas.export import TOPIC_MODELS, schema_bytes

OUT = Path(__file__).resolve().parent / "json"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, model in TOPIC_MODELS.items():
        path = OUT / f"{name}.schema.json"
        want = schema_bytes(model)
        if check:
            if not path.exists() or path.read_bytes() != want:
                stale.append(path.name)
        else:
            OUT.mkdir(exist_ok=True)
            path.write_bytes(want)
    if stale:
        print("schemas out of date (run python -m schemas): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
