# syntax=docker/dockerfile:1
# Parley's API. Built by docker-compose.yml next to this file; on its own:
#   docker build -t parley . && docker run -p 3000:3000 -e HOST=0.0.0.0 -e API_KEY=... parley

# ---- build: all dependencies, compile, then keep only what runs ----------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is a native module: its prebuilt binary is used when one matches, and these
# tools compile it when none does.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# ---- run: node, the production dependencies and the compiled app -----------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded store's default file is ./data/parley.db (EVENT_STORE=sqlite); mount a volume here
# to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=32", "dist/apps/api/main.js"]
