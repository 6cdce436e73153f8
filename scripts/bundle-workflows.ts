/**
 * Bundles the workflow code ahead of time, as Temporal advises for production: a worker given
 * the file (WORKFLOW_BUNDLE) starts without bundling for 4–5 s first, time that a crashed
 * worker's conversations would wait for its replacement. Build it from the same checkout
 * the worker runs (the Dockerfile does). Usage: npm run bundle-workflows [-- <file>]
 */
import path from 'node:path';
import { writeWorkflowBundle } from '../src/temporal/workflow-bundle';

const DEFAULT_FILE = 'dist/workflow-bundle.js';

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? DEFAULT_FILE);
  const bytes = await writeWorkflowBundle(file);
  console.log(`workflow bundle written to ${file} (${Math.round(bytes / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
