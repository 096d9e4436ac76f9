# syntax=docker/dockerfile:1
# ingress-guard: validating admission webhook for Kong Ingress Controller clusters.
#   docker build --build-arg VERSION=0.1.0 -t registry.example.com/ingress-guard:0.1.0 .
#   docker run --rm registry.example.com/ingress-guard:0.1.0 install | kubectl apply -f -
# The Node version is the one the tests run on: package.json's `node` devDependency (test/image/dockerfile.test.ts
# keeps the two equal). Pin the digest too in your own builds (node:24.9.0-bookworm-slim@sha256:...).
ARG NODE_VERSION=24.9.0

# --- build: TypeScript -> dist/ (tsc rewrites the .ts import specifiers to .js) ---------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency runs code at build time. That includes the `node` devDependency, whose install
# script would download a second Node binary; tsc runs on the image's own node instead (npm run build).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- deps: production dependencies only -----------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim
ARG VERSION=0.1.0
ARG SOURCE=https://github.com/ingress-guard/ingress-guard
LABEL org.opencontainers.image.title="ingress-guard" \
      org.opencontainers.image.description="Validating admission webhook for Kong Ingress Controller clusters: judges each change by the Kong configuration it would produce." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"
# The serving pair where the Deployment mounts the Secret ingress-guard-tls (read-only, /certs):
# `docker run -v "$PWD/certs:/certs:ro" IMAGE serve ...` works the same way.
# A 16 MiB semi-space caps the young generation (new space 32 MiB instead of the 128 the start-up reaches with
# Node's defaults) and took the Ingress review's server p99 at 50k objects 7.0 -> 4.0 ms, others unchanged
# (npm run bench -- --server-flags, README "Benchmark"); 8 or less promotes the start-up's garbage to old space.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    INGRESS_GUARD_TLS_CERT=/certs/tls.crt \
    INGRESS_GUARD_TLS_KEY=/certs/tls.key
WORKDIR /app
# package.json carries "type": "module", which dist/ needs, and the version `install` prints.
COPY --from=deps --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/dist ./dist
COPY --chown=0:0 package.json LICENSE ./
# Numeric, so Kubernetes runAsNonRoot can verify it; files stay root-owned and read-only to the process.
USER 10001:10001
EXPOSE 8443 10254
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
