"""Orders over HTTP against a running `oms api`, compared with the same SQL through pgbench."""
