"""`python -m bench`: run every benchmark package here (each has `run.main()`)."""

import importlib
import pkgutil
from pathlib import Path


def main() -> int:
    status = 0
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module.ispkg:
            run = importlib.import_module(f"bench.{module.name}.run")
            status = max(status, int(run.main() or 0))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
