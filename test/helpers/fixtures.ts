import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '../fixtures');

/** A provider payload as it comes over the wire: the exact bytes (signatures cover them). */
export function fixtureBody(name: string): string {
  return readFileSync(path.join(DIR, name), 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureBody(name)) as T;
}

/** Fixture file names of one channel (`whatsapp-cloud`, `telegram`…) ending with `suffix`. */
export function fixtureNames(prefix: string, suffix = '.json'): string[] {
  return readdirSync(DIR).filter((name) => name.startsWith(`${prefix}.`) && name.endsWith(suffix)).sort();
}
