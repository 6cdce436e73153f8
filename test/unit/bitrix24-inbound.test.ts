import { bitrix24Adapter } from '../../src/channels/bitrix24';
import { decodeBracketForm } from '../../src/channels/bitrix24/form';
import { plainText } from '../../src/channels/bitrix24/inbound';
import { WebhookMalformed, WebhookUnauthenticated, type WebhookRequest } from '../../src/channels/adapter';
import { BITRIX24_APPLICATION_TOKEN, bitrix24Fixture, omit, openLineMessage, otherEvent, phpFormBody, privateDialogMessage } from '../helpers/fake-bitrix24';
import { fixtureJson } from '../helpers/fixtures';

const credentials = { restUrl: 'https://clinica.bitrix24.com.ar/rest/', applicationToken: BITRIX24_APPLICATION_TOKEN, botId: '567' };

function request(body: string, contentType = 'application/x-www-form-urlencoded'): WebhookRequest {
  return { method: 'POST', headers: { 'content-type': contentType }, query: {}, rawBody: Buffer.from(body) };
}
const parse = (event: Record<string, unknown>) => bitrix24Adapter.parse(request(phpFormBody(event)));

describe('Bitrix24 event bodies', () => {
  test("with the tenant's credentials, an event for another bot of the app is ignored, ours is not", () => {
    const event = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
    const body = request(phpFormBody(event));
    expect(bitrix24Adapter.parse(body, bitrix24Adapter.credentialsSchema.parse(credentials))).toEqual([expect.objectContaining({ kind: 'message' })]);
    const anotherBot = bitrix24Adapter.credentialsSchema.parse({ ...credentials, botId: '999' });
    expect(bitrix24Adapter.parse(body, anotherBot)).toEqual([{ kind: 'ignored', reason: 'addressed to another bot' }]);
  });

  test('the raw form of the open-line fixture decodes to the structure Bitrix24 documents', () => {
    const { _raw_form_body_example: raw } = fixtureJson('bitrix24.onimbotmessageadd.openline-text.json');
    expect(decodeBracketForm(raw)).toEqual(bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json'));
  });

  test('PHP bracket conventions: appended lists, repeated keys, unclosed brackets, prototype keys', () => {
    expect(decodeBracketForm('a[]=x&a[]=y&b=1&b=2&c[d=3&__proto__[polluted]=yes&e[constructor]=no')).toEqual({
      a: { '0': 'x', '1': 'y' },
      b: '2',
      'c[d': '3',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a key nested beyond any Bitrix24 event is malformed', () => {
    expect(() => decodeBracketForm(`a${'[x]'.repeat(20)}=1`)).toThrow(WebhookMalformed);
  });
});

describe('Bitrix24 authentication', () => {
  const fixture = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');

  test('the application token of the install passes, as a form or as JSON', () => {
    expect(() => bitrix24Adapter.authenticate(request(phpFormBody(fixture)), credentials)).not.toThrow();
    expect(() => bitrix24Adapter.authenticate(request(JSON.stringify(fixture), 'application/json'), credentials)).not.toThrow();
  });

  test('a missing token is 401, a wrong one 403', () => {
    const withoutAuth = omit(fixture, 'auth');
    const missing = () => bitrix24Adapter.authenticate(request(phpFormBody(withoutAuth)), credentials);
    expect(missing).toThrow(WebhookUnauthenticated);
    expect(statusOf(missing)).toBe(401);
    const wrong = () => bitrix24Adapter.authenticate(request(phpFormBody({ ...fixture, auth: { ...fixture.auth, application_token: 'x'.repeat(32) } })), credentials);
    expect(statusOf(wrong)).toBe(403);
    // The bot's own token block is not the event's signature.
    expect(statusOf(() => bitrix24Adapter.authenticate(request(phpFormBody({ ...withoutAuth, data: fixture.data })), credentials))).toBe(401);
  });
});

describe('Bitrix24 customer messages', () => {
  test('an open-line customer: the dialog is the contact, the portal message id the key, the name from USER', () => {
    expect(bitrix24Adapter.parse(request(fixtureJson('bitrix24.onimbotmessageadd.openline-text.json')._raw_form_body_example))).toEqual([
      {
        kind: 'message',
        contactId: 'chat2231',
        message: { id: 'bitrix24:84331', text: 'Hola, quiero reservar un turno', receivedAt: '2025-01-01T10:00:00.000Z', sender: { name: 'Lucía Fernández' } },
      },
    ]);
  });

  test('the same event as JSON reads the same', () => {
    const event = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
    expect(bitrix24Adapter.parse(request(JSON.stringify(event), 'application/json'))).toEqual(parse(event));
  });

  test('an employee in a private dialog with the bot is answered in that dialog', () => {
    expect(parse(privateDialogMessage('27', '90001', 'Hola'))).toEqual([
      { kind: 'message', contactId: '27', message: expect.objectContaining({ id: 'bitrix24:90001', text: 'Hola', sender: { name: 'Emilia Sosa' } }) },
    ]);
  });

  test('files become media with their download links and a mime type from the extension', () => {
    const event = openLineMessage({
      text: '',
      params: {
        FILES: {
          '3301': { id: '3301', chatId: '2231', type: 'image', name: 'comprobante.JPG', extension: 'jpg', size: '84213', urlDownload: 'https://clinica.bitrix24.com.ar/disk/downloadFile/3301/?&ncc=1&filename=comprobante.JPG', urlShow: 'https://clinica.bitrix24.com.ar/disk/showFile/3301/' },
          '3302': { id: '3302', chatId: '2231', type: 'audio', name: 'voz.ogg', extension: 'ogg', size: '8342', urlDownload: '/disk/downloadFile/3302/?&ncc=1&filename=voz.ogg' },
          '3303': { id: '3303', chatId: '2231', type: 'file', name: 'orden.pdf', extension: 'pdf', size: '1000', urlDownload: '/disk/downloadFile/3303/' },
          '3304': { id: '3304', chatId: '2231', type: 'file', name: 'subiendo.pdf', status: 'upload', urlDownload: '' },
        },
      },
    });
    const [event0] = parse(event);
    expect(event0).toMatchObject({
      kind: 'message',
      message: {
        text: '',
        media: [
          { kind: 'image', url: 'https://clinica.bitrix24.com.ar/disk/downloadFile/3301/?&ncc=1&filename=comprobante.JPG', mimeType: 'image/jpeg' },
          { kind: 'audio', url: '/disk/downloadFile/3302/?&ncc=1&filename=voz.ogg', mimeType: 'audio/ogg' },
          { kind: 'document', url: '/disk/downloadFile/3303/', mimeType: 'application/pdf' },
        ],
      },
    });
  });

  test('BB-code becomes the words a person reads', () => {
    expect(plainText('[b]Hola[/b][br]mi web: [url=https://x.test]acá[/url] y [USER=5]Ana[/USER]')).toBe('Hola\nmi web: acá (https://x.test) y Ana');
    expect(parse(openLineMessage({ text: '[i]¿Tienen turno?[/i]' }))[0]).toMatchObject({ message: { text: '¿Tienen turno?' } });
  });

  test('a keyboard button press (a command) is the customer saying its parameters, once per button', () => {
    const fixture = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
    const press = (params: string) =>
      otherEvent('ONIMCOMMANDADD', {
        COMMAND: { '103': { BOT_ID: '567', COMMAND: 'elegir', COMMAND_ID: '103', COMMAND_PARAMS: params, COMMAND_CONTEXT: 'KEYBOARD', MESSAGE_ID: '84400' } },
        PARAMS: { ...fixture.data.PARAMS, MESSAGE: '', MESSAGE_ID: '84400', AUTHOR_ID: '1515' },
        USER: { ID: '1515', NAME: 'Lucía Fernández', FIRST_NAME: 'Lucía', LAST_NAME: 'Fernández', GENDER: 'F' },
      });
    const [morning] = parse(press('Martes 10:00'));
    const [afternoon] = parse(press('Martes 15:00'));
    expect(morning).toMatchObject({ kind: 'message', contactId: 'chat2231', message: { text: 'Martes 10:00', sender: { name: 'Lucía Fernández' } } });
    expect(afternoon).toMatchObject({ kind: 'message', message: { text: 'Martes 15:00' } });
    expect((morning as any).message.id).not.toBe((afternoon as any).message.id);
    expect(parse(press('Martes 10:00'))).toEqual([morning]);
  });
});

describe('Bitrix24 events that are not a customer speaking are acknowledged and ignored', () => {
  const fixture = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
  const cases: [string, Record<string, unknown>][] = [
    ['a group chat where the bot is mentioned', bitrix24Fixture('bitrix24.onimbotmessageadd.group-chat.ignore.json')],
    ['an edit', bitrix24Fixture('bitrix24.onimbotmessageupdate.edit.ignore.json')],
    ['an operator writing in the open line', openLineMessage({ user: { ID: '27', NAME: 'Svetlana Ivanova', IS_CONNECTOR: 'N', IS_EXTRANET: 'N' }, params: { FROM_USER_ID: '27', AUTHOR_ID: '27' } })],
    ['a system message of the open line', openLineMessage({ text: 'El diálogo fue transferido', params: { SYSTEM: 'Y', FROM_USER_ID: '0', AUTHOR_ID: '0' } })],
    ['a message without an author', openLineMessage({ params: { FROM_USER_ID: '0', AUTHOR_ID: '0' } })],
    ['another bot', openLineMessage({ user: { IS_BOT: 'Y', IS_CONNECTOR: 'N' } })],
    ['an open chat', openLineMessage({ params: { MESSAGE_TYPE: 'O', CHAT_TYPE: 'O', CHAT_ENTITY_TYPE: '' } })],
    ['a message without words or files', openLineMessage({ text: '   ' })],
    ['"0" in an open line: the customer asking for a person, which Bitrix24 handles', openLineMessage({ text: '0' })],
    ['a deletion', otherEvent('ONIMBOTMESSAGEDELETE', fixture.data)],
    ['the bot joining a chat', otherEvent('ONIMBOTJOINCHAT', { BOT: fixture.data.BOT, PARAMS: { DIALOG_ID: 'chat2231', CHAT_TYPE: 'L', MESSAGE_TYPE: 'L', USER_ID: '1515', CHAT_ENTITY_TYPE: 'LINES', LANGUAGE: 'es' }, USER: fixture.data.USER })],
    ['the bot being deleted', otherEvent('ONIMBOTDELETE', { BOT_ID: '567', BOT_CODE: 'clinica_bot' })],
    ['the app being installed', otherEvent('ONAPPINSTALL', { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'es' })],
    ['an event nobody subscribed to', otherEvent('ONCRMLEADADD', { FIELDS: { ID: '3465' } })],
  ];
  test.each(cases)('%s', (_name, event) => {
    expect(parse(event)).toEqual([{ kind: 'ignored', reason: expect.any(String) }]);
  });
});

describe('Bitrix24 bodies that are not events are malformed', () => {
  const fixture = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
  test.each([
    ['no event name', phpFormBody({ auth: fixture.auth, data: fixture.data })],
    ['a message without its dialog', phpFormBody({ ...fixture, data: { ...fixture.data, PARAMS: { MESSAGE: 'Hola', MESSAGE_ID: '1' } } })],
    ['a message without data', phpFormBody({ event: 'ONIMBOTMESSAGEADD', auth: fixture.auth })],
    ['broken JSON', '{"event": "ONIMBOTMESSAGEADD",'],
  ])('%s', (_name, body) => {
    expect(() => bitrix24Adapter.parse(request(body))).toThrow(WebhookMalformed);
  });
});

function statusOf(run: () => void): number | undefined {
  try {
    run();
  } catch (error) {
    return (error as WebhookUnauthenticated).statusCode;
  }
  return undefined;
}
