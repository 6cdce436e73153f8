import http from 'node:http';
import { fixtureJson } from './fixtures';
import { type FakeServer, startFakeServer } from './fake-server';

/** The application token of `test/fixtures/bitrix24.*.json`: what the portal signs every event with. */
export const BITRIX24_APPLICATION_TOKEN = '831c76b092f9f135d9b6b36c3a720757';
export const BITRIX24_BOT_ID = '567';

/** One request to the portal, as the fake received it. */
export interface PortalRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** A JSON body decoded; anything else as text. */
  body: any;
}

/** What the portal answers one call with, instead of its normal answer. */
export interface PortalRefusal {
  status: number;
  error: string;
  description: string;
}

/**
 * A Bitrix24 portal on 127.0.0.1: its REST methods under `/rest/` (imbot.message.add checked the
 * way the portal checks it) and the files of its chats. Records every request; answers errors as
 * Bitrix24 does, `{error, error_description}`.
 */
export class FakeBitrix24 {
  readonly requests: PortalRequest[] = [];
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly refusals: { method: string; refusal: PortalRefusal }[] = [];
  private server?: FakeServer;
  private nextMessageId = 84332;

  get baseUrl(): string {
    return this.server!.baseUrl;
  }

  /** What the demo tenant's Bitrix24 channel is configured with to reach this fake. */
  credentials() {
    return { restUrl: `${this.baseUrl}/rest/`, applicationToken: BITRIX24_APPLICATION_TOKEN, botId: BITRIX24_BOT_ID };
  }

  /** A chat file downloadable at the returned absolute URL. */
  addFile(path: string, bytes: Buffer, contentType: string): string {
    this.files.set(path, { bytes, contentType });
    return `${this.baseUrl}${path}`;
  }

  /** The next call of REST method `method` is refused like this. */
  refuseNext(method: string, refusal: PortalRefusal): void {
    this.refusals.push({ method, refusal });
  }

  /** The imbot.message.add calls, in order. */
  messagesAdded(): PortalRequest[] {
    return this.requests.filter((request) => restMethodOf(request.path) === 'imbot.message.add');
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => this.answer(req, raw, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const path = req.url ?? '';
    let body: any = raw;
    if (req.headers['content-type']?.startsWith('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(res, 400, { error: 'INVALID_REQUEST', error_description: 'Invalid JSON' });
      }
    }
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const file = this.files.get(path);
    if (req.method === 'GET' && file) return void res.writeHead(200, { 'content-type': file.contentType }).end(file.bytes);
    const method = restMethodOf(path);
    if (!method) return void res.writeHead(404).end();
    const refused = this.refusals.findIndex((pending) => pending.method === method);
    if (refused >= 0) {
      const { refusal } = this.refusals.splice(refused, 1)[0]!;
      return reply(res, refusal.status, { error: refusal.error, error_description: refusal.description });
    }
    if (method !== 'imbot.message.add') return reply(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    const problem = messageAddProblem(body);
    if (problem) return reply(res, 400, problem);
    const now = Date.now() / 1000;
    reply(res, 200, { result: this.nextMessageId++, time: { start: now, finish: now, duration: 0 } });
  }
}

/** `imbot.message.add` of `/rest/imbot.message.add` or `/rest/1/<code>/imbot.message.add.json`. */
function restMethodOf(path: string): string | undefined {
  const match = /^\/rest\/(?:\d+\/[^/]+\/)?([a-z0-9_.]+?)(?:\.json)?(?:\?.*)?$/i.exec(path);
  return match?.[1]?.toLowerCase();
}

/** imbot.message.add's own checks, with its error codes. */
function messageAddProblem(body: any): { error: string; error_description: string } | undefined {
  if (typeof body !== 'object' || body === null) return { error: 'INVALID_REQUEST', error_description: 'Expected JSON' };
  if (String(body.BOT_ID) !== BITRIX24_BOT_ID) return { error: 'BOT_ID_ERROR', error_description: 'Bot not found' };
  if (!body.DIALOG_ID) return { error: 'DIALOG_ID_EMPTY', error_description: "Dialog ID can't be empty" };
  if (typeof body.MESSAGE !== 'string' || body.MESSAGE.trim() === '') return { error: 'MESSAGE_EMPTY', error_description: "Message can't be empty" };
  const buttons: any[] | undefined = body.KEYBOARD;
  if (buttons !== undefined && (!Array.isArray(buttons) || buttons.some((button) => button.TYPE !== 'NEWLINE' && !(button.TEXT && (button.LINK || button.COMMAND || button.ACTION))))) {
    return { error: 'KEYBOARD_ERROR', error_description: 'Incorrect keyboard params' };
  }
  if (body.ATTACH !== undefined && !Array.isArray(body.ATTACH) && !Array.isArray(body.ATTACH?.BLOCKS)) return { error: 'ATTACH_ERROR', error_description: 'Incorrect attach params' };
  return undefined;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** A structure form-encoded the way Bitrix24 (PHP's http_build_query) posts its events. */
export function phpFormBody(value: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (prefix: string, node: unknown): void => {
    if (node === null || node === undefined) return;
    if (typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(prefix ? `${prefix}[${key}]` : key, child);
      return;
    }
    pairs.push(`${phpEncode(prefix)}=${phpEncode(typeof node === 'boolean' ? (node ? '1' : '0') : String(node))}`);
  };
  walk('', value);
  return pairs.join('&');
}

function phpEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+').replace(/[!'()*~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}


/** A Bitrix24 event as the fixture decodes it, without the fixture's own notes. */
export type Bitrix24Event = Record<string, any>;

export function bitrix24Fixture(name: string): Bitrix24Event {
  return omit(fixtureJson(name), '_raw_form_body_example', '_note');
}

/** A copy without these keys. */
export function omit(value: Record<string, any>, ...keys: string[]): Record<string, any> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** The open-line text fixture with its message changed: another message, another dialog, other words. */
export function openLineMessage(changes: { messageId?: string; chatId?: string; text?: string; params?: Record<string, unknown>; user?: Record<string, unknown> }): Bitrix24Event {
  const event = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
  const chatId = changes.chatId ?? event.data.PARAMS.CHAT_ID;
  Object.assign(event.data.PARAMS, {
    ...(changes.messageId ? { MESSAGE_ID: changes.messageId } : {}),
    ...(changes.text !== undefined ? { MESSAGE: changes.text } : {}),
    CHAT_ID: chatId,
    TO_CHAT_ID: chatId,
    DIALOG_ID: `chat${chatId}`,
    ...changes.params,
  });
  Object.assign(event.data.USER, changes.user);
  return event;
}

/** An employee writing to the bot in a private dialog, as Bitrix24's documentation shows it. */
export function privateDialogMessage(userId: string, messageId: string, text: string): Bitrix24Event {
  const event = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
  event.data.PARAMS = {
    MESSAGE: text,
    TEMPLATE_ID: '796c45aa-70e5-45aa-930c-c7fb32710c62',
    MESSAGE_TYPE: 'P',
    FROM_USER_ID: userId,
    DIALOG_ID: userId,
    TO_CHAT_ID: '1407',
    AUTHOR_ID: userId,
    SYSTEM: 'N',
    TO_USER_ID: '567',
    COMMAND_CONTEXT: 'TEXTAREA',
    CHAT_USER_COUNT: '2',
    PLATFORM_CONTEXT: 'web',
    MESSAGE_ID: messageId,
    CHAT_TYPE: 'P',
    LANGUAGE: 'es',
  };
  event.data.USER = { ID: userId, NAME: 'Emilia Sosa', FIRST_NAME: 'Emilia', LAST_NAME: 'Sosa', WORK_POSITION: '', GENDER: 'F', IS_BOT: 'N', IS_CONNECTOR: 'N', IS_NETWORK: 'N', IS_EXTRANET: 'N' };
  event.auth.user_id = userId;
  return event;
}

/** Another event of the same portal: the fixture's envelope (its auth) around other data. */
export function otherEvent(name: string, data: Record<string, unknown>): Bitrix24Event {
  const event = bitrix24Fixture('bitrix24.onimbotmessageadd.openline-text.json');
  return { ...event, event: name, data };
}
