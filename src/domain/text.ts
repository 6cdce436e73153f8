/**
 * Characters no customer means to send and PostgreSQL cannot store: NUL (a `text` or `jsonb`
 * value with one fails with 22P05, and the write would fail on every retry) and the other C0
 * controls except tab, line feed and carriage return.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** Text made safe to store and show. (Lone surrogates need nothing: pg's UTF-8 encoding replaces them.) */
export function cleanText(text: string): string {
  return text.replace(UNSTORABLE, '');
}

/** JSON for PostgreSQL: every string in the value cleaned as `cleanText` does. */
export function toStorableJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === 'string' ? cleanText(field) : field));
}
