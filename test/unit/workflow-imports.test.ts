import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every conversation a worker caches evaluates its own copy of each module the workflows import
 * (Temporal's reusable V8 context keeps one module cache per workflow), so what the workflow code
 * imports is paid per open conversation, in memory and in start-up CPU. zod and luxon stay out:
 * their work is done in activities or where messages enter. (`require()` inside a function, as
 * for engine v1, loads a module only when that code runs.)
 */
const SRC = path.resolve(__dirname, '../../src');
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm;

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(STATIC_IMPORT)].map((match) => match[1]!);
}

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith('.')) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
        continue;
      }
      const resolved = path.resolve(path.dirname(file), specifier);
      visit(resolved.endsWith('.ts') ? resolved : `${resolved}.ts`);
    }
  };
  visit(entry);
  return { files, packages };
}

test('the workflow code a conversation loads imports only the Temporal SDK, no zod or luxon', () => {
  const { files, packages } = reachable(path.join(SRC, 'workflows/index.ts'));
  expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow']);
  expect([...files].map((file) => path.relative(SRC, file)).filter((file) => file.includes('legacy'))).toEqual([]);
});
