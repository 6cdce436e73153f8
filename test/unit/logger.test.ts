import { Writable } from 'node:stream';
import { createLogger, redactUrl } from '../../src/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), output: () => lines.join('') };
}

test('secrets and phone numbers never reach the log', () => {
  const { logger, output } = capture();
  logger.info(
    {
      req: { headers: { authorization: 'Bearer admin-secret-token' } },
      provider: { name: 'openai', apiKey: 'sk-live-123' },
      contactId: '5491100000001',
      conversation: { phone: '+54 9 11 0000-0001', token: 'tg-secret' },
      databaseUrl: 'postgres://u:db-password@h/db',
    },
    'turn done',
  );
  const text = output();
  for (const secret of ['admin-secret-token', 'sk-live-123', '5491100000001', '0000-0001', 'tg-secret', 'db-password']) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain('"name":"openai"');
  expect(text).toContain('[redacted]');
});

test('redactUrl masks the password of a connection string', () => {
  expect(redactUrl('postgres://concierge:s3cret@db:5432/concierge')).toBe('postgres://concierge:***@db:5432/concierge');
  expect(redactUrl('not a url')).toBe('[unparseable url]');
});

test('phone numbers are masked wherever they appear: ids, workflow ids, messages', () => {
  const { logger, output } = capture();
  logger.child({ workflowId: 'conversation:demo:whatsapp:5491100000001' }).info(
    { remoteJid: '5491100000001@s.whatsapp.net', nested: { chat: { id: 987654321 } }, text: 'llamame al +5491100000002' },
    'message from 5491100000003',
  );
  const text = output();
  expect(text).not.toMatch(/549110000000[123]/);
  expect(text).toContain('conversation:demo:whatsapp:*********0001');
  expect(text).toContain('*********0003');
  // Not every number is a phone: short ids, counts and timestamps stay readable.
  logger.info({ bookingId: 42, turns: 1234567 }, 'booked');
  expect(output()).toContain('"bookingId":42,"turns":1234567');
});

test('credentials in a request URL are not logged', () => {
  const { logger, output } = capture();
  logger.info({ req: { id: 'r1', method: 'POST', url: '/webhooks/demo/gupshup?token=s3cret&x=1' } }, 'request');
  expect(output()).toContain('/webhooks/demo/gupshup?token=[redacted]&x=1');
  expect(output()).not.toContain('s3cret');
});

test('e-mail addresses, message text and credentials in text are masked; ids ops need stay readable', () => {
  const { logger, output } = capture();
  logger.child({ tenant: 'demo', workflowId: 'conversation:demo:whatsapp:5491100000001' }).warn(
    {
      reason: 'pide que le escriban a lucia.fernandez@example.com o al 5491155551234',
      lead: { email: 'lucia.fernandez@example.com', text: 'Soy Lucía, mi mail es lucia.fernandez@example.com' },
      customerText: 'quiero un turno mañana',
      url: 'https://api.telegram.org/bot123456:AAE-secret_token/sendMessage',
      callback: '/api/chat/messages?after=-1&session_token=abc.def-ghi',
      upstream: 'provider said: Incorrect API key provided: sk-proj-abcdef123456 (Authorization: Bearer tenant-token-0123456789)',
    },
    'handed to staff: write to ana.perez@example.org',
  );
  const text = output();
  for (const secret of [
    'lucia.fernandez@example.com', 'ana.perez@example.org', '5491155551234', '5491100000001', 'quiero un turno', 'Soy Lucía',
    'AAE-secret_token', 'abc.def-ghi', 'sk-proj-abcdef123456', 'tenant-token-0123456789',
  ]) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain('l***@example.com');
  expect(text).toContain('a***@example.org');
  expect(text).toContain('"tenant":"demo"');
  expect(text).toContain('conversation:demo:whatsapp:*********0001');
  expect(text).toContain('session_token=[redacted]');
});

test('an error is logged with its message and stack masked', () => {
  const { logger, output } = capture();
  logger.error({ err: new Error('send to 5491100000001 failed: lucia@example.com, token=s3cr3t') }, 'request failed');
  const line = JSON.parse(output());
  expect(line.err.message).toBe('send to *********0001 failed: l***@example.com, token=s3cr3t');
  expect(line.err.stack).not.toContain('5491100000001');
  expect(line.err.type).toBe('Error');
});

test("Fastify's request and reply are logged by their fields, which they keep in getters", () => {
  const { logger, output } = capture();
  class Request {
    readonly id = 'req-7';
    get method() { return 'GET'; }
    get url() { return '/admin/leads?contact=5491100000001&email=ana@example.com'; }
  }
  class Reply {
    get statusCode() { return 404; }
  }
  logger.info({ req: new Request(), res: new Reply() }, 'request completed');
  const line = JSON.parse(output());
  expect(line.req).toEqual({ id: 'req-7', method: 'GET', url: '/admin/leads?contact=*********0001&email=a***@example.com' });
  expect(line.res).toEqual({ statusCode: 404 });
});
