import { z } from 'zod';
import { HttpError, parseRequest } from '../../src/api/errors';
import { parseJsonBody } from '../../src/api/hardening';

const refusal = (run: () => unknown): HttpError => {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('not refused');
};

test.each([
  ['{"__proto__":{"admin":true}}', '__proto__'],
  ['{"message":"hola","context":{"a":[{"__proto__":{}}]}}', '__proto__'],
  ['{"constructor":{"prototype":{"admin":true}}}', 'constructor'],
])('a body with a prototype key is refused as forbidden_key, naming it: %s', (body, key) => {
  const error = refusal(() => parseJsonBody(body));
  expect([error.statusCode, error.code]).toEqual([400, 'forbidden_key']);
  expect(error.message).toContain(`"${key}"`);
  expect(error.message).toContain('not accepted');
});

test('malformed and empty bodies say so; a constructor key that holds no prototype is plain data', () => {
  expect(refusal(() => parseJsonBody('{"message": "hola"')).code).toBe('invalid_json');
  expect(refusal(() => parseJsonBody('  ')).code).toBe('empty_body');
  expect(parseJsonBody('{"constructor":"Ana","text":"a\\u0000b"}')).toEqual({ constructor: 'Ana', text: 'a\u0000b' });
});

test('a value of the wrong type is named with the types it takes and the type received, never the value', () => {
  const schema = z.object({ session_id: z.union([z.string(), z.number().int()]).optional(), message: z.string() });
  const error = refusal(() => parseRequest(schema, { session_id: { secret: '+5491155550000' }, message: 42 }));
  expect([error.statusCode, error.code]).toEqual([400, 'invalid_request']);
  expect(error.fields.issues).toEqual([
    { path: 'session_id', message: 'expected string or number, received object' },
    { path: 'message', message: 'Invalid input: expected string, received number' },
  ]);
  expect(error.message).toBe('The request is not valid: session_id: expected string or number, received object (and 1 more: see issues)');
  expect(JSON.stringify(error)).not.toContain('5491155550000');
});
