import { WorkflowNotFoundError } from '@temporalio/client';
import { stateQuery } from '../../src/workflows/definitions';
import { BITRIX24_APPLICATION_TOKEN, bitrix24Fixture, FakeBitrix24, omit, openLineMessage, otherEvent, phpFormBody, privateDialogMessage, type Bitrix24Event } from '../helpers/fake-bitrix24';
import { fixtureJson, fixtureNames } from '../helpers/fixtures';
import { startTestStack, type TestStack } from '../helpers/stack';
import { sleep, waitFor } from '../helpers/wait-for';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('Bitrix24 webhook', () => {
  let stack: TestStack;
  let portal: FakeBitrix24;
  beforeAll(async () => {
    portal = await new FakeBitrix24().start();
    stack = await startTestStack({ channels: { bitrix24: { ...portal.credentials(), quietPeriodMs: 0 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await portal.stop();
  });

  const post = (body: string, headers: Record<string, string> = FORM) => stack.request('POST', '/webhooks/demo/bitrix24', body, headers);
  const conversation = (dialogId: string) => stack.client.workflow.getHandle(`conversation:demo:bitrix24:${dialogId}`);
  const repliesTo = (dialogId: string) => portal.messagesAdded().filter((request) => request.body.DIALOG_ID === dialogId);
  async function expectNoConversation(dialogId: string): Promise<void> {
    await expect(conversation(dialogId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }

  // First: the edit fixture is of the dialog the text fixture then opens.
  describe('events that are not a customer speaking are acknowledged and start nothing', () => {
    const fixture = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
    const dialogOf = (event: Bitrix24Event): string | undefined => event.data?.PARAMS?.DIALOG_ID;

    test.each(fixtureNames('bitrix24', '.ignore.json'))('%s', async (name) => {
      const event = bitrix24Fixture(name);
      const before = portal.messagesAdded().length;
      expect(await post(phpFormBody(event))).toMatchObject({ status: 200, body: '' });
      await expectNoConversation(dialogOf(event)!);
      expect(portal.messagesAdded().length).toBe(before);
    });

    const documented: [string, Bitrix24Event][] = [
      ['an operator writing in the open line', openLineMessage({ messageId: '85501', chatId: '5001', user: { ID: '27', NAME: 'Svetlana Ivanova', IS_CONNECTOR: 'N', IS_EXTRANET: 'N' }, params: { FROM_USER_ID: '27', AUTHOR_ID: '27' } })],
      ['a system message of the open line', openLineMessage({ messageId: '85502', chatId: '5002', text: 'Diálogo transferido', params: { SYSTEM: 'Y', FROM_USER_ID: '0', AUTHOR_ID: '0' } })],
      ['another bot in the open line', openLineMessage({ messageId: '85503', chatId: '5003', user: { IS_BOT: 'Y', IS_CONNECTOR: 'N' } })],
      ['an open chat', openLineMessage({ messageId: '85504', chatId: '5004', params: { MESSAGE_TYPE: 'O', CHAT_TYPE: 'O', CHAT_ENTITY_TYPE: '' } })],
      ['a deleted message', otherEvent('ONIMBOTMESSAGEDELETE', { ...fixture.data, PARAMS: { ...fixture.data.PARAMS, DIALOG_ID: 'chat5005', MESSAGE_ID: '85505' } })],
      ['the bot joining an open line', otherEvent('ONIMBOTJOINCHAT', { BOT: fixture.data.BOT, PARAMS: { DIALOG_ID: 'chat5006', CHAT_TYPE: 'L', MESSAGE_TYPE: 'L', USER_ID: '1515', CHAT_ENTITY_TYPE: 'LINES' }, USER: fixture.data.USER })],
      ['the bot being deleted', otherEvent('ONIMBOTDELETE', { BOT_ID: '567', BOT_CODE: 'clinica_bot' })],
      ['the app being installed', otherEvent('ONAPPINSTALL', { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'es' })],
    ];
    test.each(documented)('%s', async (_name, event) => {
      const before = portal.messagesAdded().length;
      expect(await post(phpFormBody(event))).toMatchObject({ status: 200, body: '' });
      const dialog = dialogOf(event);
      if (dialog) await expectNoConversation(dialog);
      expect(portal.messagesAdded().length).toBe(before);
    });
  });

  test('an open-line customer is answered through imbot.message.add, as the documented request', async () => {
    const response = await post(fixtureJson('bitrix24.onimbotmessageadd.openline-text.json')._raw_form_body_example);
    expect(response).toMatchObject({ status: 200, body: '' });
    await waitFor('the reply', () => repliesTo('chat2231').length > 0);
    const [reply] = repliesTo('chat2231');
    expect(reply).toMatchObject({ method: 'POST', path: '/rest/imbot.message.add', headers: { 'content-type': 'application/json' } });
    expect(reply!.body).toEqual({ BOT_ID: 567, DIALOG_ID: 'chat2231', MESSAGE: expect.stringMatching(/\S/), URL_PREVIEW: 'N' });

    const state = await conversation('chat2231').query(stateQuery);
    expect(state.displayName).toBe('Lucía Fernández');
    expect(state.transcript.filter((entry) => entry.role === 'customer')).toEqual([
      expect.objectContaining({ messageId: 'bitrix24:84331', text: 'Hola, quiero reservar un turno' }),
    ]);
  });

  test('the reply is the assistant’s answer to what the customer asked', async () => {
    await post(phpFormBody(openLineMessage({ messageId: '85001', chatId: '3001', text: '¿Cuánto sale la limpieza facial?' })));
    await waitFor('the reply', () => repliesTo('chat3001').length > 0);
    expect(repliesTo('chat3001').map((request) => request.body)).toEqual([
      { BOT_ID: 567, DIALOG_ID: 'chat3001', MESSAGE: expect.stringMatching(/Limpieza facial profunda.*18\.000/), URL_PREVIEW: 'N' },
    ]);
  });

  test('an employee’s private dialog with the bot is answered in that dialog', async () => {
    await post(phpFormBody(privateDialogMessage('27', '85101', 'Hola')));
    await waitFor('the reply', () => repliesTo('27').length > 0);
    expect(repliesTo('27')[0]!.body).toMatchObject({ BOT_ID: 567, DIALOG_ID: '27', MESSAGE: expect.stringContaining('Clínica Demo') });
  });

  test('the same event delivered three times is answered once', async () => {
    const body = phpFormBody(openLineMessage({ messageId: '85201', chatId: '3201', text: 'Hola' }));
    const answers = await Promise.all([post(body), post(body), post(body)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await waitFor('the reply', () => repliesTo('chat3201').length > 0);
    await sleep(1500);
    expect(repliesTo('chat3201')).toHaveLength(1);
    const state = await conversation('chat3201').query(stateQuery);
    expect(state.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.messageId)).toEqual(['bitrix24:85201']);
  });

  test('a file from the customer reaches the conversation with its download link', async () => {
    const link = portal.addFile('/disk/downloadFile/3301/?&ncc=1&filename=comprobante.jpg', Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg');
    await post(
      phpFormBody(
        openLineMessage({
          messageId: '85301',
          chatId: '3301',
          text: 'Foto del comprobante',
          params: { FILES: { '3301': { id: '3301', chatId: '3301', type: 'image', name: 'comprobante.jpg', extension: 'jpg', size: '3', urlDownload: link } } },
        }),
      ),
    );
    await waitFor('the message in the conversation', async () => ((await conversation('chat3301').query(stateQuery).catch(() => undefined))?.transcript.length ?? 0) > 0);
    const state = await conversation('chat3301').query(stateQuery);
    expect(state.transcript[0]).toMatchObject({ role: 'customer', text: 'Foto del comprobante', media: [{ kind: 'image', url: link, mimeType: 'image/jpeg' }] });
  });

  describe('requests that are not the portal’s start nothing', () => {
    const chat4001 = () => openLineMessage({ messageId: '85401', chatId: '4001', text: 'Hola' });

    test('no application token: 401', async () => {
      const response = await post(phpFormBody(omit(chat4001(), 'auth')));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'unauthenticated' });
      await expectNoConversation('chat4001');
    });

    test('a wrong application token: 403', async () => {
      const event = chat4001();
      const response = await post(phpFormBody({ ...event, auth: { ...event.auth, application_token: '00000000000000000000000000000000' } }));
      expect(response.status).toBe(403);
      await expectNoConversation('chat4001');
      expect(repliesTo('chat4001')).toEqual([]);
    });

    test('a body that is not an event: 400 with a JSON error', async () => {
      const response = await post(phpFormBody({ event: 'ONIMBOTMESSAGEADD', data: { PARAMS: { MESSAGE: 'Hola' } }, auth: { application_token: BITRIX24_APPLICATION_TOKEN } }));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'malformed_webhook', message: expect.stringContaining('DIALOG_ID') });
    });

    test('over 1 MB: 413', async () => {
      const event = chat4001();
      const response = await post(phpFormBody({ ...event, data: { ...event.data, PARAMS: { ...event.data.PARAMS, MESSAGE: 'a'.repeat(1024 * 1024) } } }));
      expect(response.status).toBe(413);
      await expectNoConversation('chat4001');
    });
  });

});
