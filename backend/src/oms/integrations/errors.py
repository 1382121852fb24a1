"""Problems the integrations module reports."""

from oms.core.errors import Conflict, NotFound


class ConfigurationNotFound(NotFound):
    slug = "worker-configuration-not-found"

    def __init__(self) -> None:
        super().__init__("No worker configuration with this id.")


class DeliveryNotFound(NotFound):
    slug = "delivery-not-found"

    def __init__(self) -> None:
        super().__init__("No delivery with this id.")


class DuplicateConfigurationName(Conflict):
    slug = "worker-configuration-name-taken"

    def __init__(self, name: str) -> None:
        super().__init__(f"A configuration of this worker type is already named {name!r}.")


class WorkerTypeMismatch(Conflict):
    slug = "worker-type-mismatch"

    def __init__(self, stored: str, sent: str) -> None:
        super().__init__(
            f"This is a {stored} configuration; a {sent} update does not apply to it "
            "(a configuration's worker type never changes)."
        )


class NotReplayable(Conflict):
    slug = "delivery-not-replayable"
