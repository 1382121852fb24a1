"""The operations commands (`oms check`, `oms outbox`, `oms dlq`): what an operator runs to
see and drain what OMS holds, composed from the modules' services like the API is."""
