import { WebhookMalformed, type WebhookEvent } from '../../src/channels/adapter';
import { parseGupshupCallback } from '../../src/channels/gupshup/inbound';

const parse = (body: unknown): WebhookEvent[] => parseGupshupCallback({ method: 'POST', headers: {}, query: { token: 't' }, rawBody: Buffer.from(JSON.stringify(body)) });
const callback = (type: string, payload: Record<string, unknown>) => ({ app: 'ClinicaCentroApp', timestamp: 1735725600370, version: 2, type, payload });
const message = (type: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  callback('message', { id: 'wamid-1', source: '5491100000001', type, payload, sender: { phone: '5491100000001', name: 'Lucía', country_code: '54', dial_code: '91100000001' }, ...extra });

/** The one event a callback carried. */
const only = (body: unknown): WebhookEvent => {
  const events = parse(body);
  expect(events).toHaveLength(1);
  return events[0]!;
};
const said = (body: unknown) => {
  const event = only(body);
  if (event.kind !== 'message') throw new Error(`not a customer message: ${JSON.stringify(event)}`);
  return event.message;
};
const ignoredBecause = (body: unknown) => {
  const event = only(body);
  return event.kind === 'ignored' ? event.reason : event.kind;
};

describe('Gupshup callback parsing', () => {
  test('a text keeps the customer, their profile name, WhatsApp’s message id and Gupshup’s time', () => {
    expect(only(message('text', { text: 'Hola' }, { context: { id: 'gBEG', gsId: 'ee4a' } }))).toEqual({
      kind: 'message',
      contactId: '5491100000001',
      message: { id: 'wamid-1', text: 'Hola', receivedAt: '2025-01-01T10:00:00.370Z', sender: { name: 'Lucía', phone: '5491100000001' } },
    });
  });

  test('videos, files and stickers are media with their link and type; a file keeps its caption', () => {
    const link = 'https://filemanager.gupshup.io/wa/app/wa/media/1?download=false';
    expect(said(message('video', { url: link, contentType: 'video/mp4', urlExpiry: 1 })).media).toEqual([{ kind: 'video', url: link, mimeType: 'video/mp4' }]);
    expect(said(message('file', { url: link, contentType: 'application/pdf', name: 'orden.pdf', caption: 'mi orden' }))).toMatchObject({
      text: 'mi orden',
      media: [{ kind: 'document', url: link, mimeType: 'application/pdf', caption: 'mi orden' }],
    });
    expect(said(message('sticker', { url: link, contentType: 'image/webp' })).media).toEqual([{ kind: 'image', url: link, mimeType: 'image/webp' }]);
  });

  test('a location with a name, and a shared contact card, become words', () => {
    expect(said(message('location', { latitude: 19.1453658, longitude: 72.8552172, name: 'Clínica', address: 'Av. Siempre Viva 742' })).text).toBe(
      '📍 Clínica, Av. Siempre Viva 742 (19.14537, 72.85522) https://maps.google.com/?q=19.1453658,72.8552172',
    );
    const card = { name: { first_name: 'Dev', formatted_name: 'Dev Support' }, phones: [{ phone: '+1 (650) 555-1234', type: 'WORK', wa_id: '16505551234' }], emails: [], addresses: [] };
    expect(said(message('contact', { contacts: [card, { name: { first_name: 'Ana' } }] })).text).toBe('Dev Support +1 (650) 555-1234\nAna');
  });

  test('button and list replies without a title give their postback; a template button its payload', () => {
    expect(said(message('button_reply', { id: 'qr1', postbackText: 'confirm' })).text).toBe('confirm');
    expect(said(message('list_reply', { title: 'Limpieza facial', id: 'list1', reply: 'Limpieza facial 1', postbackText: 'svc-1' })).text).toBe('Limpieza facial');
    expect(said(message('quick_reply', { type: 'button', payload: 'Sí' })).text).toBe('Sí');
    expect(ignoredBecause(message('button_reply', {}))).toBe('unsupported message type button_reply');
  });

  test('a refused message is a delivery failure; outside the 24-hour window by Gupshup’s and Meta’s codes or reason', () => {
    const failed = (payload: Record<string, unknown>, gsId?: string) =>
      only(callback('message-event', { id: 'gs-1', ...(gsId ? { gsId } : {}), type: 'failed', destination: '5491100000001', payload }));
    expect(failed({ code: 1002, reason: 'Number Does Not Exist On WhatsApp' })).toEqual({
      kind: 'delivery-failed',
      contactId: '5491100000001',
      providerMessageId: 'gs-1',
      outsideWindow: false,
      reason: '1002: Number Does Not Exist On WhatsApp',
    });
    for (const code of [1026, 470, 131047, 1005, '1006']) expect(failed({ code, reason: 'x' })).toMatchObject({ outsideWindow: true });
    expect(failed({ code: 4002, reason: 'Message sending failed as user is inactive for session message and template did not match' })).toMatchObject({ outsideWindow: true });
    expect(failed({ reason: 'Re-engagement message' }, 'gs-2')).toMatchObject({ providerMessageId: 'gs-2', outsideWindow: true, reason: 'Re-engagement message' });
  });

  test('receipts, user, billing and other events are ignored, saying which', () => {
    expect(ignoredBecause(callback('message-event', { id: 'x', gsId: 'g', type: 'read', destination: '1', payload: { ts: 1 } }))).toBe('message status read');
    expect(ignoredBecause(callback('user-event', { phone: '5491100000001', type: 'opted-out' }))).toBe('user-event opted-out');
    expect(ignoredBecause(callback('user-event', { phone: '5491100000001', type: 'sandbox-start' }))).toBe('user-event sandbox-start');
    expect(ignoredBecause(callback('billing-event', { deductions: {}, references: {} }))).toBe('billing-event');
    expect(ignoredBecause(message('reaction', { emoji: '👍' }))).toBe('unsupported message type reaction');
  });

  test('a body that is not Gupshup’s shape is malformed', () => {
    expect(() => parseGupshupCallback({ method: 'POST', headers: {}, query: {}, rawBody: Buffer.from('type=message') })).toThrow(WebhookMalformed);
    expect(() => parse({ type: 'message' })).toThrow(WebhookMalformed);
    expect(() => parse(message('image', { caption: 'sin link' }))).toThrow(WebhookMalformed);
    expect(() => parse(message('location', { latitude: 'norte', longitude: 1 }))).toThrow(WebhookMalformed);
  });
});
