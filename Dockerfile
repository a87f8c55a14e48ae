# Tocsin: build with the dev toolchain, run on a slim image as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY examples ./examples
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node rules ./rules
# State (snapshots) lives in a volume; the config listens beyond loopback, which the engine only
# allows when TOCSIN_INGEST_TOKEN and TOCSIN_ADMIN_TOKEN are set (docker run -e ...).
RUN mkdir -p /var/lib/tocsin && chown node:node /var/lib/tocsin \
  && printf 'listen: 0.0.0.0:8080\ndata_dir: /var/lib/tocsin\n' > /etc/tocsin.yaml
USER node
ENV TOCSIN_CONFIG=/etc/tocsin.yaml
EXPOSE 8080
VOLUME ["/var/lib/tocsin"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["run"]
