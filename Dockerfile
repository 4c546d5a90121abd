# Inlet's container image: the web UI built with Node, the binary built with
# Go and cgo (DuckDB is C++, Parquet's zstd is C), run on slim Debian as a
# non-root user with its data directory on a volume.
#
#   docker build -t inlet .
#   docker run -p 127.0.0.1:8080:8080 -v inlet-data:/var/lib/inlet inlet
#
# The base images are build arguments, so that a machine without a registry
# can build from images made locally (debootstrap + docker import), e.g.
#   docker build --network host --build-arg BASE=local/debian:bookworm \
#     --build-arg GO_IMAGE=local/golang:1.26-bookworm --build-arg NODE_IMAGE=local/node:20-bookworm -t inlet .
# (Vite needs Node 20.19+ or 22.12+; the build stages are not shipped.)
ARG NODE_IMAGE=node:22-bookworm-slim
ARG GO_IMAGE=golang:1.26-bookworm
ARG BASE=debian:bookworm-slim

# --- the web UI -------------------------------------------------------------
FROM ${NODE_IMAGE} AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
# The UI's API types are generated from the server's OpenAPI document.
COPY server/openapi.json /src/server/openapi.json
RUN npm run build --silent

# --- the binary -------------------------------------------------------------
FROM ${GO_IMAGE} AS build
# The official golang image has gcc and g++; a bare one gets them here.
# libisal-dev: ISA-L's igzip zips XLSX exports.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends gcc g++ libc6-dev libisal-dev && rm -rf /var/lib/apt/lists/*
ARG GOPROXY
ENV CGO_ENABLED=1 GOFLAGS=-buildvcs=false
WORKDIR /src
COPY go.mod go.sum ./
# iceberg-go is built from a patched copy (see third_party/iceberg-go/INLET.md).
COPY third_party/ third_party/
RUN go mod download
COPY . .
COPY --from=ui /src/frontend/dist/ ./frontend/dist/
ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/inlet ./cmd/inlet \
 && /out/inlet version

# --- the image --------------------------------------------------------------
FROM ${BASE}
# libstdc++ for DuckDB; libisal2 for igzip; CA certificates for the OIDC provider, S3 and KMS
# over https; tzdata for export schedules in the users' time zones.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libstdc++6 libisal2 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/inlet --shell /usr/sbin/nologin inlet \
 && mkdir -p /var/lib/inlet && chown inlet:inlet /var/lib/inlet && chmod 0750 /var/lib/inlet
COPY --from=build /out/inlet /usr/local/bin/inlet
ARG VERSION=dev
LABEL org.opencontainers.image.title="Inlet" \
      org.opencontainers.image.description="Files in, PII-safe lake tables out" \
      org.opencontainers.image.version="${VERSION}"
# Production settings come from INLET_* variables (flags > INLET_* >
# defaults; INLET_*_FILE for secrets): INLET_DB=postgres://...,
# INLET_OIDC_ISSUER, INLET_TRUSTED_PROXIES, ... (README, "Production-like stack").
# 0.0.0.0 inside the container's own network namespace: what is reachable
# from outside is decided where the port is published (-p 127.0.0.1:8080:8080).
ENV INLET_DATA_DIR=/var/lib/inlet \
    INLET_ADDR=0.0.0.0:8080 \
    INLET_LOG_FORMAT=json \
    INLET_SHUTDOWN_TIMEOUT=30s
VOLUME /var/lib/inlet
WORKDIR /var/lib/inlet
USER inlet:inlet
EXPOSE 8080
# No curl in a slim image: the binary asks its own /healthz.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["inlet", "healthcheck"]
# docker stop sends SIGTERM and waits 10s by default: give it more than
# INLET_SHUTDOWN_TIMEOUT (docker stop -t 40; compose: stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["inlet"]
CMD ["serve"]
