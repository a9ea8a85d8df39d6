# The tollstream image: the package and its console script, run as a
# non-root user. Build and run through docker-compose.yml, or alone:
#
#   docker build -t tollstream .
#   docker run --rm -e TOLLSTREAM_BROKER=host:9092 -e TOLLSTREAM_API_TOKEN=... -p 6066:6066 tollstream

# Build stage: pip builds the package (and any dependency shipped only as a
# source distribution) into a virtualenv; the runtime stage copies the
# virtualenv alone, without the source tree, build files or pip's cache.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/tollstream
ENV PATH=/opt/tollstream/bin:$PATH

WORKDIR /src
# Only what the package build reads (see .dockerignore).
COPY pyproject.toml README.md ./
COPY tollstream ./tollstream
COPY streams ./streams
COPY schemas ./schemas
RUN pip install .


FROM python:3.11-slim

# TOLLSTREAM_WEB_BIND: Faust's web server binds to this address, and the
# default for a local run, 127.0.0.1, is unreachable from Prometheus in another
# container. TOLLSTREAM_STATE_DIR: the default sits beside the installed
# package, in site-packages, which the runtime user cannot write to.
ENV PATH=/opt/tollstream/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TOLLSTREAM_WEB_BIND=0.0.0.0 \
    TOLLSTREAM_WEB_PORT=6066 \
    TOLLSTREAM_STATE_DIR=/var/lib/tollstream

RUN groupadd --system --gid 10001 tollstream \
    && useradd --system --uid 10001 --gid tollstream --home-dir /var/lib/tollstream \
       --shell /usr/sbin/nologin tollstream \
    && mkdir -p /var/lib/tollstream \
    && chown tollstream:tollstream /var/lib/tollstream

COPY --from=build /opt/tollstream /opt/tollstream

USER tollstream
WORKDIR /var/lib/tollstream

# Faust web server: /metrics, /healthz, /readyz and the event views.
EXPOSE 6066

ENTRYPOINT ["tollstream"]
CMD ["worker"]
