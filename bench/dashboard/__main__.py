import sys

from bench.dashboard.run import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
