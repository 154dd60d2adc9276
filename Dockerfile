# syntax=docker/dockerfile:1
# agent-sms-gateway: build with dev dependencies, run with production dependencies only.
#   docker build -t agent-sms-gateway .
# Configuration comes from the environment at run time (see docs/OPERATIONS.md); the image
# holds no settings and no secrets.

# Node 26, the newest LTS line (Active LTS since October 2026); package.json `engines` names the
# maintained lines 22, 24 and 26. Another line: --build-arg NODE_IMAGE=node:24-trixie-slim.
ARG NODE_IMAGE=node:26-trixie-slim

# better-sqlite3 is a native module: when no prebuilt binary fits, npm compiles it, which
# needs python3, make and g++. Both install stages have them; the runtime stage does not.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Production dependencies only, for the runtime stage.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

# Every dependency, to compile TypeScript to dist/.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# The heap bound (docs/OPERATIONS.md, "Memory"): without it V8 grows its heap far past the
# ~50 MB the service keeps live. Override with -e NODE_OPTIONS="--max-old-space-size=<MB> ...".
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"
WORKDIR /app
# Code and dependencies stay owned by root (read-only to the app); only ./data (the SQLite
# file when DATABASE_URL is unset, the audit checkpoints) is writable by the non-root user
# the app runs as. A volume mounted on an existing directory takes its owner.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data/audit-checkpoints && chown -R node:node /app/data
USER node
EXPOSE 3000
# No curl in slim images: Node's fetch asks the liveness endpoint on the port the app uses.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live',{signal:AbortSignal.timeout(3000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
