# gitfed as a controller image: `docker build -t gitfed:0.1.0 .` (deploy/base runs it).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY cmd cmd
COPY src src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# git and OpenSSH fetch an ssh:// fleet repository (HTTPS needs neither: isomorphic-git). ssh
# wants a passwd entry for the user it runs as.
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client && rm -rf /var/lib/apt/lists/* \
  && echo 'gitfed:x:65532:65532:gitfed:/var/cache/gitfed:/usr/sbin/nologin' >> /etc/passwd
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist/cmd dist/cmd
COPY --from=build /src/dist/src dist/src
USER 65532:65532
ENV NODE_ENV=production
ENTRYPOINT ["node", "/app/dist/cmd/gitfed.js"]
CMD ["daemon", "--help"]
