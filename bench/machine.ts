import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { CLK_TCK } from './proc';

export interface Machine {
  cpus: number;
  model: string;
  memoryMb: number;
  kernel: string;
  clockTicksPerSecond: number;
}

export interface Versions {
  node: string;
  temporalSdk: string;
  temporalCli: string | null;
  temporalServer: string | null;
}

export function describeMachine(): Machine {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    kernel: os.release(),
    clockTicksPerSecond: CLK_TCK,
  };
}

export async function describeVersions(connection: Connection, conciergeDir: string): Promise<Versions> {
  return {
    node: process.version,
    temporalSdk: packageVersion(conciergeDir, '@temporalio/worker'),
    temporalCli: cliVersion(),
    temporalServer: await serverVersion(connection),
  };
}

/** The SDK the measured Concierge runs with (its own node_modules). */
function packageVersion(dir: string, name: string): string {
  const file = path.join(dir, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** `temporal --version` of the CLI Concierge embeds (found the way it finds it: TEMPORAL_CLI_PATH, else PATH). */
function cliVersion(): string | null {
  try {
    return execFileSync(process.env.TEMPORAL_CLI_PATH || 'temporal', ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

async function serverVersion(connection: Connection): Promise<string | null> {
  try {
    return (await connection.workflowService.getSystemInfo({})).serverVersion || null;
  } catch {
    return null;
  }
}
