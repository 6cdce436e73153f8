import { z } from 'zod';
import { ChoiceSchema, type Channel, type InboundMessage, type Media } from '../domain/conversation';

/** Every channel but the web chat, which is served by the API itself. */
export type MessagingChannel = Exclude<Channel, 'web'>;

/** A webhook request as the provider sent it: the raw bytes, since signatures cover exactly those. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** What one webhook request carries; a provider may batch several events in one request. */
export type WebhookEvent =
  /** A customer wrote (or pressed a button): it goes to their conversation. */
  | { kind: 'message'; contactId: string; message: InboundMessage; callbackId?: string }
  /**
   * A message of ours the provider could not deliver. `outsideWindow`: refused because the
   * customer's service window had closed (WhatsApp 131047), so a template may still reach them.
   */
  | { kind: 'delivery-failed'; contactId: string; providerMessageId: string; outsideWindow: boolean; reason: string }
  /**
   * Not for us to answer (echo, receipt, group, edit, reaction, system event): acknowledged,
   * logged at debug; a button press among them is still answered to the provider.
   */
  | { kind: 'ignored'; reason: string; callbackId?: string };

export { ChoiceSchema, type Choice } from '../domain/conversation';

/** A pre-approved message for when free text may not be sent (WhatsApp outside the 24-hour window). */
export const TemplateSchema = z.object({
  name: z.string().min(1),
  /** The approved translation's code, e.g. `es_AR`. */
  language: z.string().min(1),
  /** Body parameters, in order ({{1}}, {{2}}, …). */
  parameters: z.array(z.string()),
  /** Quick-reply buttons the template was approved with, answered like choices. */
  buttons: z.array(ChoiceSchema).optional(),
});
export type Template = z.infer<typeof TemplateSchema>;

export const OutboundMessageSchema = z.object({
  text: z.string().min(1),
  /** Offered options; a channel without buttons lists them in the text. */
  choices: z.array(ChoiceSchema).max(10).optional(),
  /** An image or document to attach, by public URL. */
  attachment: z.object({ kind: z.enum(['image', 'document']), url: z.url(), fileName: z.string().optional() }).optional(),
  /** Present only when it must be sent instead of the text (`mustUseTemplate`). */
  template: TemplateSchema.optional(),
  /** When the customer last wrote, if known: WhatsApp's customer-service window runs from it. */
  lastInboundAt: z.iso.datetime().optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;

/** The webhook is not from the provider (bad signature or secret): 401 or 403, nothing is started. */
export class WebhookUnauthenticated extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** The body is not the provider's format: 400 with `message`, nothing is started. */
export class WebhookMalformed extends Error {}

/** A downloaded media file, for vision or transcription. */
export interface MediaFile {
  bytes: Buffer;
  mimeType: string;
}

/**
 * One messaging channel. The API and the engine know channels only through this: adding one is
 * a folder with an adapter, registered in `./index.ts`.
 */
export interface ChannelAdapter<Credentials = unknown> {
  channel: MessagingChannel;
  /** A tenant's credentials for this channel (base URLs, tokens, secrets), validated once when read. */
  credentialsSchema: z.ZodType<Credentials>;
  /** The burst quiet period customers of this channel need, unless the tenant sets its own. */
  defaultQuietPeriodMs: number;
  /** Throws WebhookUnauthenticated unless the request comes from the provider; in constant time. */
  authenticate(request: WebhookRequest, credentials: Credentials): void;
  /** A GET verification handshake: the body to answer with, or WebhookUnauthenticated. */
  handshake?(request: WebhookRequest, credentials: Credentials): string;
  /**
   * The request's events; throws WebhookMalformed when it is not the provider's format. Events
   * addressed to another account of the provider (another number, another bot) are ignored.
   */
  parse(request: WebhookRequest, credentials?: Credentials): WebhookEvent[];
  /**
   * Sends one message (its `template` instead of the text, when set; `choices` as buttons, or
   * listed in the text where the channel has none); resolves to the provider's message id. Throws ChannelRefused
   * (non-retryable ApplicationFailure) on a 4xx, a retryable error otherwise.
   */
  send(credentials: Credentials, contactId: string, message: OutboundMessage): Promise<string>;
  /** Downloads a media file a message referred to (`Media.url`: a provider URL or media id). */
  fetchMedia(credentials: Credentials, media: Media): Promise<MediaFile>;
  /** Acknowledges a button press where the provider requires it (Telegram's callback queries). */
  acknowledgeCallback?(credentials: Credentials, callbackId: string): Promise<void>;
  /** True when free text cannot reach the contact now (judged from `lastInboundAt`): a template must go instead. */
  mustUseTemplate?(message: OutboundMessage, now: Date): boolean;
}
