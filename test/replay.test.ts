import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { testWorkflowBundle } from './helpers/services';

/**
 * Every history recorded from an earlier version of the workflows (npm run record-histories)
 * must replay on the current code: a change that would break conversations already running in
 * production fails here, and must go behind `patched()`.
 */
const HISTORIES_DIR = path.join(__dirname, 'histories');
const files = readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThan(0);
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const history = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
  await expect(
    Worker.runReplayHistory({ workflowBundle: testWorkflowBundle() }, history, `replay-${file}`),
  ).resolves.toBeUndefined();
});
