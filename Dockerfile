# Ingress Gate: web + apply worker in one image (scripts/start.ts runs and supervises both;
# `node --import tsx lib/worker/main.ts` runs a worker alone).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm install --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
COPY --from=build /app ./
EXPOSE 3000
# The start script itself is PID 1 (not npm, which exits on SIGTERM without passing it on): it
# handles SIGTERM/SIGINT from `docker stop` by stopping the web server and worker gracefully, and
# exits non-zero if the web server dies so the container's restart policy applies.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "scripts/start.ts"]
