# One image for both production processes: `npm run api` and `npm run worker`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Optional dependencies are the embedded servers of `npm start`; production uses real ones.
RUN npm install --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY migrations ./migrations
COPY src ./src
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
