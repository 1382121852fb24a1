"""Problems the integrations module reports."""

from oms.core.errors import Conflict, NotFound, PreconditionFailed


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


class EmailTemplateNotFound(NotFound):
    slug = "email-template-not-found"

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no email template {key!r}.", key=key)


class EditedTemplateNotFound(NotFound):
    slug = "email-template-not-edited"

    def __init__(self, key: str) -> None:
        super().__init__(f"The email template {key!r} was never edited: nothing to reset.", key=key)


class StaleEmailTemplate(PreconditionFailed):
    slug = "stale-email-template"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "The template changed since you read it (If-Match does not match); read it again.",
            headers={"ETag": current_etag},
            current_etag=current_etag,
        )


class EmailTemplateLimitReached(Conflict):
    slug = "email-template-limit-reached"

    def __init__(self, limit: int) -> None:
        super().__init__(f"At most {limit} email templates can be edited.", limit=limit)
