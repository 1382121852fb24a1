"""OMS benchmarks: `make bench` runs each and prints its figures."""
