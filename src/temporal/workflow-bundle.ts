import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/**
 * Bundles `src/workflows` into one file, which a worker loads instead of bundling as it starts
 * (`workflowBundle: { codePath }`, WORKFLOW_BUNDLE). Returns the bundle's size in bytes.
 */
export async function writeWorkflowBundle(file: string, logger?: BundleOptions['logger']): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), ...(logger ? { logger } : {}) });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, code);
  return code.length;
}
