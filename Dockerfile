# syntax=docker/dockerfile:1
# One image for every Switchboard process; the command picks which one runs:
#   node services/edge-proxy/dist/main.js    SIP edge proxy (the default command)
#   node services/auth/dist/main.js          auth service
#   node services/location/dist/main.js      location service
#   node services/auth/dist/migrate.js       apply auth's migrations and exit
#   node services/location/dist/migrate.js   apply location's migrations and exit
#   node packages/sbctl/dist/main.js ...     the operator CLI
# The services' mains run with the Node.js flags of packages/kit/src/service-node-flags.ts,
# as the default command shows. See docs/deployment.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- manifests: the package.json of every workspace the root lists (npm needs them all,
# test workspaces included) and the lockfile; dependency layers are reused until they change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/sip/package.json packages/sip/
COPY packages/contracts/package.json packages/contracts/
COPY packages/kit/package.json packages/kit/
COPY packages/sbctl/package.json packages/sbctl/
COPY services/auth/package.json services/auth/
COPY services/location/package.json services/location/
COPY services/edge-proxy/package.json services/edge-proxy/
COPY test-e2e/package.json test-e2e/
COPY test-deploy/package.json test-deploy/

# ---- build: every dependency, TypeScript compiled to dist/ ----
FROM manifests AS build
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages/ packages/
COPY services/ services/
# Only the projects the image runs; their references bring sip, contracts and kit.
RUN npm run build -- packages/sbctl services/auth services/location services/edge-proxy

# ---- production-dependencies: what the services and sbctl import at run time ----
FROM manifests AS production-dependencies
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    --workspace=@switchboard/auth \
    --workspace=@switchboard/location \
    --workspace=@switchboard/edge-proxy \
    --workspace=@switchboard/sbctl

# ---- runtime: production dependencies, compiled code and migrations; no compiler ----
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to node (graceful shutdown) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/ ./
COPY --from=build /app/packages/sip/dist/ packages/sip/dist/
COPY --from=build /app/packages/contracts/dist/ packages/contracts/dist/
COPY --from=build /app/packages/kit/dist/ packages/kit/dist/
COPY --from=build /app/packages/sbctl/dist/ packages/sbctl/dist/
COPY --from=build /app/services/auth/dist/ services/auth/dist/
COPY --from=build /app/services/location/dist/ services/location/dist/
COPY --from=build /app/services/edge-proxy/dist/ services/edge-proxy/dist/
# The services read their migrations from db/<service>/ at start and in migrate.js.
COPY db/ db/

# The node image's unprivileged user, by number so that Kubernetes can verify runAsNonRoot.
# Everything above belongs to root: the process cannot change its own code.
USER 1000:1000
EXPOSE 5060/udp 8080 8081 8082
# Liveness on the service's HTTP port (HTTP_PORT; 8080 when unset, the edge proxy's default).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--initial-old-space-size=128", "--v8-pool-size=1", "services/edge-proxy/dist/main.js"]
