# syntax=docker/dockerfile:1
# ingress-guard: validating admission webhook for Kong Ingress Controller clusters.
#   docker build -t ingress-guard:dev .
#   docker run --rm ingress-guard:dev rules
# Node's major is pinned to 24 (package.json engines). Pin the digest too in your own builds
# (node:24-bookworm-slim@sha256:...) for reproducible images.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: TypeScript -> dist/ (tsc rewrites the .ts import specifiers to .js) ---------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies are needed here (typescript, @types/node). The `node` devDependency's install script
# fetches a Node 24 binary into node_modules/.bin, which is only used by npm scripts in this stage.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- deps: production dependencies only -----------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev leaves out typescript, @types/node and the `node` npm package (whose binary would otherwise
# shadow the image's node). No production dependency needs an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# package.json carries "type": "module", which dist/ needs.
COPY --from=deps --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/dist ./dist
COPY --chown=0:0 package.json ./
# Numeric, so Kubernetes runAsNonRoot can verify it; files stay root-owned and read-only to the process.
USER 10001:10001
EXPOSE 8443 10254
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
