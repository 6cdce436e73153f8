/**
 * Bundles the workflow code ahead of time, as Temporal advises for production: a worker given
 * the file (WORKFLOW_BUNDLE) starts without bundling for 4–5 s first, time that a crashed
 * worker's conversations would wait for its replacement. Build it from the same checkout
 * the worker runs (the Dockerfile does). Usage: npm run bundle-workflows [-- <file>]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const DEFAULT_FILE = 'dist/workflow-bundle.js';

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? DEFAULT_FILE);
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows') });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, code);
  console.log(`workflow bundle written to ${file} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
