# OpenESC server image: `docker build -t openesc .` then
#   docker run -p 8080:8080 -v openesc-data:/data openesc
# The first start creates the admin token in /data/admin.token and prints it once (docker logs).

# --- build: compile TypeScript and better-sqlite3's native module, then drop dev dependencies ---
FROM node:20-bookworm AS build
# node:20-bookworm already has python3, make and g++ for node-gyp; listed here to say so.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sdks/typescript/package.json sdks/typescript/
# --ignore-scripts: `prepare` builds, which needs the sources copied below; the native module is
# built explicitly right after.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && node -e 'new (require("better-sqlite3"))(":memory:").close()'
COPY tsconfig.base.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY sdks/typescript ./sdks/typescript
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: Node.js, the compiled server, production dependencies; runs as an unprivileged user ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    OPENESC_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/sdks/typescript/package.json ./sdks/typescript/package.json
COPY --from=build /app/sdks/typescript/dist ./sdks/typescript/dist
RUN groupadd --system --gid 10001 openesc \
 && useradd --system --uid 10001 --gid openesc --home-dir /data --shell /usr/sbin/nologin openesc \
 && mkdir -p /data \
 && chown openesc:openesc /data
USER openesc
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/openesc.js", "serve", "--listen", "0.0.0.0:8080"]
