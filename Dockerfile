# syntax=docker/dockerfile:1
# Telegram QR Auth: `docker build -t telegram-qr-auth .`, then run it with the
# variables of .env.example (see docker-compose.yml for Redis and two instances).
# Node 24 LTS is the production runtime (package.json engines: >=22.12).
ARG NODE_VERSION=24

# --- Build: compiles the service (dist/) and the login page (client/public/dist/) ----
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none of the packages needs one to build or run here
# (prebuilt binaries), and one only reports telemetry.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY client ./client
RUN npm run build

# --- Production dependencies only ---------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- Runtime --------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8887
WORKDIR /app
# Owned by root and read-only for the service: it never writes to its own files.
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/client ./client
# The catalogues (Fluent): the page's, served at /locales/<locale>/page.ftl, and the bot's (bot.ftl), read at start.
COPY locales ./locales
USER node
EXPOSE 8887
# Liveness only: readiness (/health/ready) also fails while Redis is away, and
# that must not get the container restarted.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8887) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains in-flight requests and exits 0 within SHUTDOWN_TIMEOUT_MS (default 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/app/main.js"]
