import { checkToolCall, toolsForModel } from '../../src/domain/tools';

const call = (name: string, args: string) => checkToolCall({ id: 'c1', name, arguments: args });

describe('checkToolCall', () => {
  test('a call that fits its schema passes, with its arguments parsed and trimmed', () => {
    expect(call('search_services', '{"query":"  depilación  "}')).toEqual({
      valid: true,
      call: { id: 'c1', name: 'search_services', args: { query: 'depilación' } },
    });
    expect(call('search_services', '')).toEqual({ valid: true, call: { id: 'c1', name: 'search_services', args: {} } });
  });

  test.each([
    ['an unknown tool', 'drop_tables', '{}', /^Unknown tool "drop_tables"/],
    ['arguments that are not JSON', 'search_services', '{"query":', /not valid JSON/],
    ['a key the schema does not name (a tenant id)', 'search_services', '{"query":"laser","tenant_id":"other"}', /tenant_id/],
    ['a wrong type', 'search_services', '{"query":7}', /^Invalid arguments, nothing was done: query: /],
    ['a missing argument', 'escalate_to_human', '{}', /reason/],
    ['arguments that are not an object', 'escalate_to_human', '"help"', /Invalid arguments/],
  ])('%s is refused with an error the model can act on', (_case, name, args, error) => {
    expect(call(name, args)).toEqual({
      valid: false,
      result: { callId: 'c1', name, outcome: 'invalid', content: { error: expect.stringMatching(error) } },
    });
  });
});

test('the model is offered every tool as a strict JSON schema', () => {
  const [search, escalate] = toolsForModel();
  expect(search).toMatchObject({ type: 'function', function: { name: 'search_services', parameters: { type: 'object', additionalProperties: false } } });
  expect(search!.function.parameters.properties).toHaveProperty('query.description');
  expect(escalate!.function.parameters).toMatchObject({ required: ['reason'] });
});
