import { WebhookMalformed } from '../adapter';

/** A PHP-style form decoded: `data[PARAMS][MESSAGE]=Hola` becomes `{ data: { PARAMS: { MESSAGE: 'Hola' } } }`. */
export interface FormObject {
  [key: string]: FormValue;
}
export type FormValue = string | FormObject;

/** Bitrix24 nests five deep; PHP itself stops at 64. */
const MAX_DEPTH = 16;
/** Keys that would reach an object's prototype instead of a field. */
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Decodes `application/x-www-form-urlencoded` with PHP's bracket convention, as Bitrix24 sends its
 * events (PHP's `http_build_query`). Lists come out as objects keyed by index, the way PHP
 * numbers them (`FILES[123][name]`), so one shape serves both; a repeated key keeps its last
 * value, as PHP does.
 */
export function decodeBracketForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = keyPath(key);
    if (path.length > MAX_DEPTH) throw new WebhookMalformed(`Form key nested deeper than ${MAX_DEPTH} levels`);
    if (path.some((segment) => UNSAFE_KEYS.has(segment))) continue;
    let node = root;
    for (const [index, segment] of path.entries()) {
      const name = segment === '' ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) {
        node[name] = value;
      } else {
        const next = node[name];
        node = typeof next === 'object' ? next : (node[name] = {});
      }
    }
  }
  return root;
}

/** `a[b][]` → `['a', 'b', '']`; a key whose brackets do not close is a plain name, as in PHP. */
function keyPath(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return [key];
  const segments = [...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((found) => found[1]!);
  return [match[1]!, ...segments];
}
