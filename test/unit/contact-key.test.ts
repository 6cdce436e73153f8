import { contactKey, conversationIdFor } from '../../src/domain/contact-key';
import { ContactIdSchema } from '../../src/domain/conversation';

const SECRET = 'a contact key secret of 32 characters or more';
const ROSA = { tenantId: 'clinica', channel: 'whatsapp' as const, contactId: '5491155550123' };

describe('opaque contact keys', () => {
  test('a key is a valid contact id, the same every time, and says nothing of the number', () => {
    const key = contactKey(SECRET, ROSA);
    expect(ContactIdSchema.safeParse(key).success).toBe(true);
    expect(key).toMatch(/^k[A-Za-z0-9_-]{26}$/);
    expect(contactKey(SECRET, { ...ROSA })).toBe(key);
    expect(key).not.toContain('5550123');
  });

  test('another tenant, channel, contact or secret gives another key', () => {
    const key = contactKey(SECRET, ROSA);
    const others = [
      contactKey(SECRET, { ...ROSA, tenantId: 'otra' }),
      contactKey(SECRET, { ...ROSA, channel: 'evolution' }),
      contactKey(SECRET, { ...ROSA, contactId: '5491155550124' }),
      contactKey(`${SECRET}!`, ROSA),
    ];
    expect(new Set([key, ...others]).size).toBe(5);
  });

  test('the conversation id is keyed only for a tenant with the setting on, and never for a web session', () => {
    expect(conversationIdFor(ROSA, { opaqueContactKeys: false }, SECRET)).toBe('conversation:clinica:whatsapp:5491155550123');
    expect(conversationIdFor(ROSA, undefined, undefined)).toBe('conversation:clinica:whatsapp:5491155550123');
    expect(conversationIdFor(ROSA, { opaqueContactKeys: true }, SECRET)).toBe(`conversation:clinica:whatsapp:${contactKey(SECRET, ROSA)}`);
    const web = { ...ROSA, channel: 'web' as const, contactId: 'aSessionId0123456789ab' };
    expect(conversationIdFor(web, { opaqueContactKeys: true }, SECRET)).toBe('conversation:clinica:web:aSessionId0123456789ab');
  });

  test('with the setting on and no secret, a conversation is refused rather than named by the number', () => {
    expect(() => conversationIdFor(ROSA, { opaqueContactKeys: true }, undefined)).toThrow(/CONTACT_KEY_SECRET/);
  });
});
