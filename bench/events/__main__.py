"""`python -m bench.events`."""

from bench.events.run import main

if __name__ == "__main__":
    raise SystemExit(main())
