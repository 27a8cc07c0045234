# syntax=docker/dockerfile:1
#
# attctl-worker (the entrypoint) with attctl on PATH for one-off commands.
#
#   docker build -t attctl .
#   docker run --rm --init --env-file .env attctl                      # the worker
#   docker run --rm --env-file .env --entrypoint attctl attctl doctor  # a one-off
#
# docker-compose.yml runs both; see packaging/docker/README.md.

FROM rust:1-bookworm AS builder
# hatchet-sdk compiles Hatchet's .proto files at build time.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends protobuf-compiler \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# .git is not in the build context: pass the build's identity for `--version`, e.g.
#   docker build --build-arg ATTCTL_BUILD_COMMIT=$(git rev-parse --short=9 HEAD) \
#                --build-arg ATTCTL_BUILD_DATE=$(git log -1 --format=%cs) -t attctl .
ARG ATTCTL_BUILD_COMMIT=
ARG ATTCTL_BUILD_DATE=
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p attctl -p attctl-worker \
    && install -D -m 0755 -t /out target/release/attctl target/release/attctl-worker

FROM debian:bookworm-slim
# Unpinned on purpose: the base image's current Debian 12 packages, security fixes included.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 10001 --home-dir /var/lib/attctl \
        --create-home --shell /usr/sbin/nologin attctl
COPY --from=builder /out/ /usr/local/bin/
USER 10001:10001
WORKDIR /var/lib/attctl
# Used only by the local backend (no SUPABASE_URL); mount a volume here to keep it.
ENV ATTCTL_DATA_FILE=/var/lib/attctl/attctl.db
# SIGTERM (docker stop) makes the worker finish its running closes and exit.
ENTRYPOINT ["attctl-worker"]
CMD ["run"]
