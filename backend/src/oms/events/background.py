"""Running the relay and all workers inside the API process (`oms run`)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from oms.core.settings import Settings
from oms.events.pipeline import Pipeline


def run_pipeline_in_app(app: FastAPI, settings: Settings) -> None:
    """Start the pipeline once the app's engine exists; stop it (letting messages in hand
    finish) when the app shuts down, after in-flight requests."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with inner(application):
            pipeline = Pipeline(settings, application.state.engine)
            await pipeline.start()
            try:
                yield
            finally:
                await pipeline.stop()

    app.router.lifespan_context = lifespan
