# syntax=docker/dockerfile:1
#
# The OMS image. Its entry point is the `oms` command, so one image runs every part of OMS:
#   docker run IMAGE migrate | api | relay | worker email|webhook|inventory
# (`api` by default). Build it from the repository root: `docker build -t oms .`
# Stages: the apps built with Node, the wheel (with the apps in it) and a virtual environment
# holding it and its locked dependencies, then a slim runtime with that environment only.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- 1. The single-page apps of the npm workspace (customer, admin, ...) ------------------
FROM ${NODE_IMAGE} AS web
WORKDIR /src/frontend
COPY frontend/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund && npm run build
# Every app that was built, whichever the workspace holds; an empty list fails the build.
RUN mkdir /apps \
    && for dist in */dist; do \
         app="${dist%/dist}"; mkdir -p "/apps/$app"; cp -a "$dist" "/apps/$app/dist"; \
       done \
    && ls /apps/*/dist/index.html

# --- 2. The wheel and a virtual environment with it ---------------------------------------
FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION=0.13.9
ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
RUN --mount=type=cache,target=/root/.cache/pip pip install "uv==${UV_VERSION}"
WORKDIR /src
COPY backend/ backend/
# backend/hatch_build.py puts frontend/<app>/dist into the wheel as oms/web/<app>.
COPY --from=web /apps/ frontend/
WORKDIR /src/backend
RUN --mount=type=cache,target=/root/.cache/uv \
    uv build --wheel --out-dir /wheels \
    && uv export --frozen --no-dev --no-emit-project --format requirements-txt \
         --output-file /wheels/requirements.txt \
    && uv venv --python /usr/local/bin/python3 /opt/oms \
    && uv pip install --python /opt/oms/bin/python --require-hashes \
         --requirement /wheels/requirements.txt \
    && uv pip install --python /opt/oms/bin/python --no-deps /wheels/oms-*.whl \
    && /opt/oms/bin/oms --version

# --- 3. The runtime: Python and the environment, no compiler, no package manager ----------
FROM ${PYTHON_IMAGE} AS runtime
RUN python -m pip uninstall --yes --quiet pip setuptools wheel \
    && groupadd --system --gid 10001 oms \
    && useradd --system --uid 10001 --gid oms --home-dir /var/lib/oms --create-home \
         --shell /usr/sbin/nologin oms
COPY --from=build /opt/oms /opt/oms
# In a container the API listens on every interface; OMS_DATA_DIR is only used by `oms run`
# without OMS_DATABASE_URL (an embedded PostgreSQL), and is the oms user's home.
ENV PATH=/opt/oms/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OMS_HOST=0.0.0.0 \
    OMS_PORT=3000 \
    OMS_DATA_DIR=/var/lib/oms \
    OMS_LOG_FORMAT=json
WORKDIR /var/lib/oms
USER 10001:10001
EXPOSE 3000
# /health/live of whichever `oms` command the container runs: the API's port for `api` and
# `run`, OMS_HEALTH_PORT for the relay and the workers (oms.core.probe).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "oms.core.probe"]
ENTRYPOINT ["oms"]
CMD ["api"]
