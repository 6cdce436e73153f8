import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage, Media } from '../../domain/conversation';
import { WebhookMalformed, type WebhookEvent, type WebhookRequest } from '../adapter';
import { readShape, receivedAt } from '../webhook-body';
import { decodeBracketForm } from './form';

/** Form values are strings; the same fields as JSON may be numbers. */
const Scalar = z.union([z.string(), z.number()]).transform(String);
/** PHP lists arrive keyed by index from a form, as arrays from JSON. */
const listOf = <T extends z.ZodType>(item: T) => z.union([z.array(item), z.record(z.string(), item).transform((byKey) => Object.values(byKey))]);

/** A file of the message, as `CIMDisk::GetFileParams` describes it. */
const File = z.object({
  id: Scalar,
  type: z.string().optional(),
  name: z.string().optional(),
  extension: z.string().optional(),
  urlDownload: z.string().optional(),
  urlShow: z.string().optional(),
});

const Params = z.object({
  MESSAGE_ID: Scalar,
  DIALOG_ID: Scalar.pipe(z.string().min(1)),
  MESSAGE: z.string().optional(),
  FROM_USER_ID: Scalar.optional(),
  AUTHOR_ID: Scalar.optional(),
  /** P private dialog, C group chat, O open chat, L open line, … */
  MESSAGE_TYPE: z.string().optional(),
  CHAT_TYPE: z.string().optional(),
  /** `LINES` for an Open Lines chat: a customer from a connector (WhatsApp, Telegram, the site's widget…). */
  CHAT_ENTITY_TYPE: z.string().optional(),
  SYSTEM: z.string().optional(),
  FILES: listOf(File).optional(),
});

/** The author; Bitrix24 leaves it out for a message without one (a system message). */
const User = z.object({
  ID: Scalar.optional(),
  NAME: z.string().optional(),
  FIRST_NAME: z.string().optional(),
  LAST_NAME: z.string().optional(),
  IS_BOT: z.string().optional(),
  /** The external customer of an Open Line is a connector user. */
  IS_CONNECTOR: z.string().optional(),
  IS_EXTRANET: z.string().optional(),
});
type User = z.infer<typeof User>;

const Command = z.object({
  COMMAND: z.string().optional(),
  COMMAND_ID: Scalar.optional(),
  COMMAND_PARAMS: z.string().optional(),
  /** `KEYBOARD` when a button was pressed, `TEXTAREA` when typed. */
  COMMAND_CONTEXT: z.string().optional(),
});

const MessageData = z.object({ PARAMS: Params, USER: User.optional() });
const CommandData = MessageData.extend({ COMMAND: listOf(Command) });

const Envelope = z.object({ event: z.string().min(1), data: z.unknown().optional(), ts: Scalar.optional() });
/** The bots an event is addressed to, keyed by bot id. */
const Addressees = z.object({ BOT: z.record(z.string(), z.unknown()).optional() });

/** Events of a chat bot that need no answer. */
const IGNORED_EVENTS: Record<string, string> = {
  ONIMBOTMESSAGEUPDATE: 'message edited',
  ONIMBOTMESSAGEDELETE: 'message deleted',
  ONIMBOTJOINCHAT: 'bot added to a chat',
  ONIMBOTDELETE: 'bot deleted',
  ONIMBOTREACTIONCHANGE: 'reaction',
  ONIMBOTCONTEXTGET: 'context request',
  ONAPPINSTALL: 'application installed',
  ONAPPUPDATE: 'application updated',
  ONAPPUNINSTALL: 'application uninstalled',
};

/** The decoded body: form-encoded as Bitrix24 sends events, or the same structure as JSON. */
export function readEventBody(request: WebhookRequest): unknown {
  const text = request.rawBody.toString('utf8');
  if (!/^\s*\{/.test(text)) return decodeBracketForm(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookMalformed('The body is neither a form nor JSON');
  }
}

/** One event per request. */
export function parseBitrix24Event(request: WebhookRequest, ourBot?: { botId: string | number }): WebhookEvent[] {
  const envelope = readShape(readEventBody(request), Envelope);
  const event = envelope.event.toUpperCase();
  // Every bot of the app gets the app's events: another bot's conversation is not ours to answer.
  const bots = Addressees.safeParse(envelope.data).data?.BOT;
  if (ourBot && bots && !Object.hasOwn(bots, String(ourBot.botId))) return [{ kind: 'ignored', reason: 'addressed to another bot' }];
  const at = receivedAt(envelope.ts);
  if (event === 'ONIMBOTMESSAGEADD') return [messageEvent(readShape(envelope.data, MessageData), at)];
  if (event === 'ONIMCOMMANDADD') return [commandEvent(readShape(envelope.data, CommandData), at)];
  return [{ kind: 'ignored', reason: IGNORED_EVENTS[event] ?? `event ${event}` }];
}

function messageEvent({ PARAMS: params, USER: user }: z.infer<typeof MessageData>, at: string): WebhookEvent {
  const notForUs = authorIsNotACustomer(params, user);
  if (notForUs) return { kind: 'ignored', reason: notForUs };
  const media = (params.FILES ?? []).map(fileMedia).filter((file) => file !== undefined);
  const text = plainText(params.MESSAGE ?? '');
  if (!text && media.length === 0) return { kind: 'ignored', reason: 'message without content' };
  // An open line's "0" is the customer asking for a person: Bitrix24 ends the bot's session itself.
  if (text === '0' && isOpenLine(params)) return { kind: 'ignored', reason: 'open line customer asked for an operator' };
  return customerMessage(params, user, { id: `bitrix24:${params.MESSAGE_ID}`, text, receivedAt: at, ...(media.length > 0 ? { media } : {}) });
}

/**
 * A command reaches the bot instead of a message: a keyboard button sends its command without
 * posting anything, so the customer's choice is the command's parameters; a typed command is the
 * text they wrote. The press is keyed by the message of the keyboard and the button.
 */
function commandEvent({ PARAMS: params, USER: user, COMMAND: commands }: z.infer<typeof CommandData>, at: string): WebhookEvent {
  const command = commands[0];
  if (!command) return { kind: 'ignored', reason: 'command event without a command' };
  const notForUs = authorIsNotACustomer(params, user);
  if (notForUs) return { kind: 'ignored', reason: notForUs };
  const pressed = command.COMMAND_CONTEXT === 'KEYBOARD';
  const text = plainText(pressed ? command.COMMAND_PARAMS || command.COMMAND || '' : (params.MESSAGE ?? ''));
  if (!text) return { kind: 'ignored', reason: 'command without words' };
  const button = createHash('sha256').update(`${command.COMMAND_ID}\u0000${text}`).digest('hex').slice(0, 16);
  const id = pressed ? `bitrix24:${params.MESSAGE_ID}:button:${button}` : `bitrix24:${params.MESSAGE_ID}`;
  return customerMessage(params, user, { id, text, receivedAt: at });
}

/** Why a message is not a customer's, or undefined when it is. */
function authorIsNotACustomer(params: z.infer<typeof Params>, user: User | undefined): string | undefined {
  if (params.SYSTEM === 'Y') return 'system message';
  const author = params.AUTHOR_ID ?? params.FROM_USER_ID;
  if (!author || author === '0') return 'message without an author';
  if (user?.IS_BOT === 'Y') return 'message from a bot';
  if (isOpenLine(params)) {
    // Operators and supervisors write in the same chat; the customer is the connector's user.
    // (Command events, and portals before the flags, leave it unsaid: then it is the customer.)
    return user?.IS_CONNECTOR === 'N' ? 'open line message from an operator' : undefined;
  }
  const chatType = params.CHAT_TYPE ?? params.MESSAGE_TYPE;
  if (chatType === 'P') return undefined;
  return `${chatType ?? 'unknown'} chat (not a dialog with the bot)`;
}

function isOpenLine(params: z.infer<typeof Params>): boolean {
  return params.CHAT_ENTITY_TYPE === 'LINES' || (params.CHAT_TYPE ?? params.MESSAGE_TYPE) === 'L';
}

function customerMessage(params: z.infer<typeof Params>, user: User | undefined, message: InboundMessage): WebhookEvent {
  const name = user?.NAME?.trim() || [user?.FIRST_NAME, user?.LAST_NAME].filter(Boolean).join(' ');
  return { kind: 'message', contactId: contactId(params.DIALOG_ID), message: { ...message, ...(name ? { sender: { name } } : {}) } };
}

/** `chat2231` for a chat, the user's id for a private dialog: also where the reply goes. */
function contactId(dialogId: string): string {
  return dialogId.replace(/[^A-Za-z0-9_.@+-]/g, '_').slice(0, 128);
}

const KIND_BY_TYPE: Record<string, Media['kind']> = { image: 'image', audio: 'audio', video: 'video', file: 'document' };

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  webm: 'audio/webm',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
};

/** A file still uploading has no link yet: nothing to fetch. */
function fileMedia(file: z.infer<typeof File>): Media | undefined {
  const url = file.urlDownload || file.urlShow;
  if (!url) return undefined;
  const extension = (file.extension || file.name?.split('.').pop() || '').toLowerCase();
  const mimeType = MIME_BY_EXTENSION[extension];
  return { kind: KIND_BY_TYPE[file.type ?? ''] ?? 'document', url, ...(mimeType ? { mimeType } : {}) };
}

/** Bitrix24's BB-code as the words a person reads: `[USER=5]Ana[/USER]` → Ana, `[br]` → a line break. */
export function plainText(message: string): string {
  return message
    .replace(/\[br\]/gi, '\n')
    .replace(/\[url=([^\]]+)\]([^[]*)\[\/url\]/gi, (_match, url: string, label: string) => (label && label !== url ? `${label} (${url})` : url))
    .replace(/\[(user|chat|call|send|put)=[^\]]*\]([^[]*)\[\/\1\]/gi, '$2')
    .replace(/\[\/?(b|i|u|s|url|code|quote|color|size|font|icon|left|right|center|justify|list|\*)(=[^\]]*)?\]/gi, '')
    .trim();
}
