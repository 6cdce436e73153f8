import { ApplicationFailure } from '@temporalio/common';
import { bitrix24Adapter } from '../../src/channels/bitrix24';
import { FakeBitrix24, omit } from '../helpers/fake-bitrix24';
import { fixtureJson } from '../helpers/fixtures';

describe('Bitrix24 imbot.message.add', () => {
  let portal: FakeBitrix24;
  beforeAll(async () => {
    portal = await new FakeBitrix24().start();
  });
  afterAll(() => portal.stop());

  test('a text goes exactly as the documented request and resolves to the portal message id', async () => {
    const documented = fixtureJson('bitrix24.imbot-message-add.request.json');
    const id = await bitrix24Adapter.send(portal.credentials(), 'chat2231', { text: documented.body.MESSAGE });
    const [request] = portal.messagesAdded().slice(-1);
    expect(request).toMatchObject({ method: 'POST', path: '/rest/imbot.message.add', headers: { 'content-type': 'application/json' } });
    // `auth` is the OAuth mode's token; the configured REST URL carries the credential instead.
    expect(request!.body).toEqual(omit(documented.body, 'auth'));
    expect(id).toMatch(/^\d+$/);
  });

  test('an inbound-webhook REST URL without a trailing slash, with the CLIENT_ID the bot was registered with', async () => {
    await bitrix24Adapter.send({ ...portal.credentials(), restUrl: `${portal.baseUrl}/rest/1/wh00kFAKEcode0000`, clientId: 'concierge-app' }, '27', { text: 'Hola' });
    const [request] = portal.messagesAdded().slice(-1);
    expect(request!.path).toBe('/rest/1/wh00kFAKEcode0000/imbot.message.add');
    expect(request!.body).toEqual({ BOT_ID: 567, DIALOG_ID: '27', MESSAGE: 'Hola', URL_PREVIEW: 'N', CLIENT_ID: 'concierge-app' });
  });

  test('choices become keyboard buttons that send their title back', async () => {
    await bitrix24Adapter.send(portal.credentials(), 'chat2231', {
      text: '¿Qué horario preferís?',
      choices: [
        { id: 'slot-1', title: 'Martes 10:00' },
        { id: 'slot-2', title: 'Martes 15:00' },
      ],
    });
    const [request] = portal.messagesAdded().slice(-1);
    expect(request!.body.MESSAGE).toBe('¿Qué horario preferís?');
    expect(request!.body.KEYBOARD).toEqual([
      { TEXT: 'Martes 10:00', ACTION: 'SEND', ACTION_VALUE: 'Martes 10:00', DISPLAY: 'BLOCK' },
      { TEXT: 'Martes 15:00', ACTION: 'SEND', ACTION_VALUE: 'Martes 15:00', DISPLAY: 'BLOCK' },
    ]);
  });

  test('an image or a document goes as an ATTACH block with the text', async () => {
    await bitrix24Adapter.send(portal.credentials(), 'chat2231', { text: 'Así llegás', attachment: { kind: 'image', url: 'https://cdn.example.com/mapa%20sede.png' } });
    expect(portal.messagesAdded().at(-1)!.body).toMatchObject({ MESSAGE: 'Así llegás', ATTACH: [{ IMAGE: [{ LINK: 'https://cdn.example.com/mapa%20sede.png', NAME: 'mapa sede.png' }] }] });
    await bitrix24Adapter.send(portal.credentials(), 'chat2231', { text: 'Tu orden', attachment: { kind: 'document', url: 'https://cdn.example.com/o.pdf', fileName: 'orden.pdf' } });
    expect(portal.messagesAdded().at(-1)!.body).toMatchObject({ ATTACH: [{ FILE: [{ LINK: 'https://cdn.example.com/o.pdf', NAME: 'orden.pdf' }] }] });
  });

  test.each([
    [400, 'BOT_ID_ERROR', 'Bot not found'],
    [200, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
    [401, 'expired_token', 'The access token provided has expired.'],
  ])('a refusal (HTTP %i, %s) is not retried', async (status, error, description) => {
    portal.refuseNext('imbot.message.add', { status, error, description });
    const failure = await bitrix24Adapter.send(portal.credentials(), 'chat2231', { text: 'Hola' }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ChannelRefused', nonRetryable: true, message: expect.stringContaining(error) });
  });

  test.each([
    [503, 'QUERY_LIMIT_EXCEEDED', 'ChannelRateLimited'],
    [200, 'QUERY_LIMIT_EXCEEDED', 'ChannelRateLimited'],
    [500, 'INTERNAL_SERVER_ERROR', 'ChannelUnavailable'],
  ])('HTTP %i %s is retried', async (status, error, type) => {
    portal.refuseNext('imbot.message.add', { status, error, description: 'Too many requests' });
    const failure = await bitrix24Adapter.send(portal.credentials(), 'chat2231', { text: 'Hola' }).catch((caught: unknown) => caught);
    expect(failure).toMatchObject({ type, nonRetryable: false });
  });

  test('a bot id the portal does not know is refused by its own check, not retried', async () => {
    const failure = await bitrix24Adapter.send({ ...portal.credentials(), botId: '999' }, 'chat2231', { text: 'Hola' }).catch((caught: unknown) => caught);
    expect(failure).toMatchObject({ type: 'ChannelRefused', message: expect.stringContaining('BOT_ID_ERROR') });
  });
});

describe('Bitrix24 files', () => {
  let portal: FakeBitrix24;
  beforeAll(async () => {
    portal = await new FakeBitrix24().start();
  });
  afterAll(() => portal.stop());

  test('a file is downloaded from its link, a relative one from the portal', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const url = portal.addFile('/disk/downloadFile/3301/?&ncc=1&filename=comprobante.jpg', jpeg, 'image/jpeg');
    await expect(bitrix24Adapter.fetchMedia(portal.credentials(), { kind: 'image', url, mimeType: 'image/jpeg' })).resolves.toEqual({ bytes: jpeg, mimeType: 'image/jpeg' });

    const ogg = Buffer.from('OggS-voice');
    portal.addFile('/disk/downloadFile/3302/', ogg, 'audio/ogg');
    await expect(bitrix24Adapter.fetchMedia(portal.credentials(), { kind: 'audio', url: '/disk/downloadFile/3302/' })).resolves.toEqual({ bytes: ogg, mimeType: 'audio/ogg' });
    expect(portal.requests.filter((request) => request.method === 'GET').map((request) => request.path)).toEqual([
      '/disk/downloadFile/3301/?&ncc=1&filename=comprobante.jpg',
      '/disk/downloadFile/3302/',
    ]);
  });

  test('a file the portal no longer has is a refusal', async () => {
    await expect(bitrix24Adapter.fetchMedia(portal.credentials(), { kind: 'document', url: '/disk/downloadFile/404/' })).rejects.toMatchObject({ type: 'ChannelRefused' });
  });
});
