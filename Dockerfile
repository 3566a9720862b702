# The webhook service in a container (App Service, Container Apps): compiled in a build stage,
# run by Node as the unprivileged `node` user with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npm run build:service

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=7071 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /src/out/service ./out/service
COPY ServiceAccountPanel/strings/ServiceAccountPanel.1033.resx ./ServiceAccountPanel/strings/
USER node
EXPOSE 7071
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7071) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop, a new revision) stops accepting and finishes the events already taken.
CMD ["node", "out/service/serviceMain.js"]
