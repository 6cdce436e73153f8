import { z } from 'zod';
import { cleanText } from './text';
import { ToolOutcomeSchema } from './tools';

export const CHANNELS = ['web', 'whatsapp', 'evolution', 'telegram', 'gupshup', 'bitrix24'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

export const ConversationStatusSchema = z.enum(['active', 'handoff', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

/** Ids end up inside workflow ids and search attributes: keep them free of separators. */
export const TenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes');
// 256: WhatsApp's business-scoped user ids may be that long.
export const ContactIdSchema = z.string().regex(/^[A-Za-z0-9_.@+-]{1,256}$/, 'must be 1-256 letters, digits or _.@+-');

/** Metadata a caller (CRM, ERP, web page) attaches to a conversation for the prompt. */
export const RequestContextSchema = z
  .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((context) => Object.keys(context).length <= 20, 'at most 20 keys');
export type RequestContext = z.infer<typeof RequestContextSchema>;

export const MediaSchema = z.object({
  kind: z.enum(['image', 'audio', 'video', 'document', 'location']),
  /** Where the file can be fetched (provider URL or media id), when there is one. */
  url: z.string().max(2048).optional(),
  mimeType: z.string().max(100).optional(),
  caption: z.string().max(4096).transform(cleanText).optional(),
  /** A voice note's words, once transcribed; absent when no transcription was possible. */
  transcript: z.string().max(20_000).optional(),
});
export type Media = z.infer<typeof MediaSchema>;

/** Who wrote, as the channel describes them: names for the prompt and the CRM lead. */
export const SenderProfileSchema = z.object({
  name: z.string().max(200).optional(),
  phone: z.string().max(32).optional(),
  username: z.string().max(100).optional(),
});

export const InboundMessageSchema = z.object({
  /** The provider's message id: the key of exactly-once processing. */
  id: z.string().min(1).max(200),
  text: z.string().max(4096).transform(cleanText),
  receivedAt: z.iso.datetime(),
  media: z.array(MediaSchema).max(10).optional(),
  sender: SenderProfileSchema.optional(),
  context: RequestContextSchema.optional(),
  /**
   * Only thanks or 👍: after a confirmed appointment it gets no reply. Decided where the message
   * enters (Unicode tables change with Node.js releases; a workflow's decisions must not).
   */
  bareCourtesy: z.boolean().optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Estimated from the price table; absent in conversations from before cost accounting. */
  costUsd: z.number().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export { sumUsage } from './usage';

export const ToolUseSchema = z.object({
  name: z.string(),
  /** As the model wrote them (possibly invalid: that is what `outcome` says). */
  arguments: z.string(),
  outcome: ToolOutcomeSchema,
});
export type ToolUse = z.infer<typeof ToolUseSchema>;

/** A choice the customer can tap: reply buttons, list rows, inline keyboard buttons. */
export const ChoiceSchema = z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(100) });
export type Choice = z.infer<typeof ChoiceSchema>;

/** What the assistant produced for one turn, and which model produced it. */
export const AssistantReplySchema = z.object({
  text: z.string(),
  provider: z.string(),
  model: z.string(),
  usage: TokenUsageSchema,
  /** Set when this turn confirmed an appointment: from then on, bare courtesies get no reply. */
  appointmentConfirmed: z.boolean().optional(),
  /** Set when a person must take over after this reply (asked for, or the assistant failed). */
  escalation: z.object({ reason: z.string() }).optional(),
  /** The tools the model called for this reply, in order: what ops see of its reasoning. */
  tools: z.array(ToolUseSchema).optional(),
  /** Free times the reply offers, sent as buttons where the channel has them. */
  choices: z.array(ChoiceSchema).optional(),
});
export type AssistantReply = z.infer<typeof AssistantReplySchema>;

/** Entries are numbered within a session (a chain of runs), which keys their archive rows. */
const EntryBase = z.object({ seq: z.number().int().nonnegative(), text: z.string(), at: z.iso.datetime() });

export const TranscriptEntrySchema = z.discriminatedUnion('role', [
  EntryBase.extend({
    role: z.literal('customer'),
    messageId: z.string(),
    media: z.array(MediaSchema).optional(),
    /** Deliberately left unanswered: a person has the conversation, or it was only a "gracias". */
    silenced: z.enum(['handoff', 'courtesy']).optional(),
  }),
  EntryBase.extend({
    role: z.literal('assistant'),
    ...AssistantReplySchema.shape,
    /** The customer messages this reply answers: a burst is answered once. */
    inReplyTo: z.array(z.string()),
  }),
  /** A person of the business, writing during a handoff. */
  EntryBase.extend({ role: z.literal('staff'), author: z.string().optional() }),
]);
export type TranscriptEntry = z.infer<typeof TranscriptEntrySchema>;

export const ConversationRefSchema = z.object({
  tenantId: TenantIdSchema,
  channel: ChannelSchema,
  contactId: ContactIdSchema,
});
export type ConversationRef = z.infer<typeof ConversationRefSchema>;

/** CONTRACT.md: `conversation:<tenant>:<channel>:<contact>`. */
export function conversationWorkflowId({ tenantId, channel, contactId }: ConversationRef): string {
  return `conversation:${tenantId}:${channel}:${contactId}`;
}
