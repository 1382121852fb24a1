"""`python -m bench [NAME ...]`: run the benchmark packages here (each has `run.main()`),
every one of them or those named (`python -m bench dashboard`)."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    available = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.ispkg
    )
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(available)}")
        return 2
    status = 0
    for name in names or available:
        run = importlib.import_module(f"bench.{name}.run")
        status = max(status, int(run.main() or 0))
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
