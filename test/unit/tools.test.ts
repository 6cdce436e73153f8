import { checkAgentToolCall, checkToolCall, toolsForModel } from '../../src/domain/tools';

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
    ['a date in the wrong format', 'check_availability', '{"date":"24/11/2026"}', /^Invalid arguments, nothing was done: date: /],
    ['a time that is not HH:MM', 'create_booking', '{"service":"x1","date":"2026-11-24","time":"10am"}', /time: expected HH:MM/],
    ['a booking id that is not one', 'cancel_booking', '{"booking_id":"42"}', /booking_id/],
  ])('%s is refused with an error the model can act on', (_case, name, args, error) => {
    expect(call(name, args)).toEqual({
      valid: false,
      result: { callId: 'c1', name, outcome: 'invalid', content: { error: expect.stringMatching(error) } },
    });
  });
});

test("lookup_lead is an outside agent's tool: a model's call of it is refused as unknown, an MCP client's passes", () => {
  const proposed = { id: 'c1', name: 'lookup_lead', arguments: '{}' };
  expect(checkToolCall(proposed)).toMatchObject({ valid: false, result: { outcome: 'invalid', content: { error: expect.stringMatching(/^Unknown tool "lookup_lead"/) } } });
  expect(checkAgentToolCall(proposed)).toEqual({ valid: true, call: { id: 'c1', name: 'lookup_lead', args: {} } });
  expect(toolsForModel().map((tool) => tool.function.name)).not.toContain('lookup_lead');
});

test('the model is offered every tool as a strict JSON schema', () => {
  const tools = toolsForModel();
  const tool = (name: string) => tools.find((candidate) => candidate.function.name === name)!.function;
  for (const { function: fn } of tools) {
    expect(fn.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    expect(fn.description.length).toBeGreaterThan(20);
  }
  expect(tool('search_services').parameters.properties).toHaveProperty('query.description');
  expect(tool('escalate_to_human').parameters).toMatchObject({ required: ['reason'] });
  expect(tool('create_booking').parameters).toMatchObject({ required: ['service', 'date', 'time'] });
  expect(tool('check_availability').parameters.properties).toHaveProperty('date.format', 'date');
});
