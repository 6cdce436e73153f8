# One image for both production processes: `npm run api` and `npm run worker`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Not --omit=optional: that would also drop the platform binaries of @swc/core (the worker's
# workflow bundler) and esbuild (tsx). The embedded servers of `npm start` come along unused.
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY migrations ./migrations
# Tenant configuration documents: the demo tenant is one (src/db/demo-tenant.ts reads it).
COPY tenants ./tenants
COPY src ./src
# The workflow code bundled once, here, rather than by every worker as it starts.
COPY scripts ./scripts
RUN npm run bundle-workflows -- /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
