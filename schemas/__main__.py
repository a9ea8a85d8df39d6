"""Write the JSON Schema of every topic's message model to ``schemas/json``, and the AsyncAPI document.

python -m schemas          # rewrite the files
python -m schemas --check  # exit 1 if a file differs from its model
"""

import sys
from pathlib import Path

from schemas import asyncapi
from schemas.export import TOPIC_MODELS, schema_bytes

OUT = Path(__file__).resolve().parent / "json"


def _files() -> dict[Path, bytes]:
    files = {OUT / f"{name}.schema.json": schema_bytes(model) for name, model in TOPIC_MODELS.items()}
    files[asyncapi.PATH] = asyncapi.document_text().encode()
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, want in _files().items():
        if check:
            if not path.exists() or path.read_bytes() != want:
                stale.append(path.name)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(want)
    if stale:
        print("schemas out of date (run python -m schemas): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
