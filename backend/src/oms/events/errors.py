"""Problems the events module reports."""

from oms.core.errors import Conflict, NotFound, ProblemError


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


class InvalidSettings(ProblemError):
    status, slug, title = 400, "validation", "Invalid request"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(
            "The settings are not valid for this worker type; see `errors`.", errors=errors
        )


class NotReplayable(Conflict):
    slug = "delivery-not-replayable"
