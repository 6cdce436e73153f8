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
