import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import type { BookingSummary } from './booking';
import { formatDuration, formatPrice, type Service } from './catalogue';
import type { Media, RequestContext, TranscriptEntry } from './conversation';
import { formatForSummary, MAX_SUMMARY_CHARS } from './memory';
import { TRANSCRIBED_VOICE_NOTE, UNTRANSCRIBED_VOICE_NOTE, type ModelMessage } from './model-turn';
import { BOOKINGS_HEADING, CONTEXT_HEADING, DEFAULT_PERSONA, FAQ_HEADING, renderTemplate, SUMMARY_HEADING, SUMMARY_PROMPT, SYSTEM_PROMPT } from './prompts/templates';
import type { Tenant } from './tenant';
import type { ProposedToolCall, ToolResult } from './tools';
import type { Lead } from './leads';

/** Services named in the system prompt; the model searches for the rest. */
const HIGHLIGHTED_SERVICES = 8;

export interface PromptFacts {
  /**
   * The caller's metadata (CRM, web page): data about the customer, never instructions. A
   * `persona` key is data too: /api/chat takes anonymous callers, who must not rewrite the bot.
   */
  context?: RequestContext;
  catalogue?: readonly Service[];
  /** The customer's upcoming bookings, so that an answer to a reminder makes sense. */
  upcomingBookings?: readonly BookingSummary[];
  /** Set in booking-link mode: the assistant sends this page instead of booking. */
  bookingUrl?: string;
  /** What the business knows of this customer already (a returning one): their lead. */
  lead?: Pick<Lead, 'name' | 'email' | 'phone' | 'company' | 'interests' | 'stage'>;
}

export function buildSystemPrompt(tenant: Tenant, now: Date, facts: PromptFacts = {}): string {
  const metadata = facts.context ?? {};
  const locale = tenant.language === 'es' ? 'es-ES' : 'en-GB';
  const persona = tenant.persona || renderTemplate(DEFAULT_PERSONA[tenant.language], { businessName: tenant.name });
  const hasMetadata = Object.keys(metadata).length > 0;
  return renderTemplate(SYSTEM_PROMPT[tenant.language], {
    persona,
    businessDescription: tenant.businessDescription,
    ...businessFactLines(tenant),
    catalogueHighlights: (facts.catalogue ?? [])
      .slice(0, HIGHLIGHTED_SERVICES)
      .map((service) => `${service.name} (${formatPrice(service.price, service.currency, tenant.language)}, ${formatDuration(service.durationMinutes)})`)
      .join('; '),
    now: new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: tenant.timeZone }).format(now),
    timeZone: tenant.timeZone,
    bookingUrl: facts.bookingUrl ?? '',
    knownCustomer: facts.lead ? knownCustomerLine(facts.lead) : '',
    bookingsHeading: facts.upcomingBookings?.length ? BOOKINGS_HEADING[tenant.language] : '',
    upcomingBookings: (facts.upcomingBookings ?? [])
      .map((booking) => `- ${booking.label}: ${booking.service} (${booking.status}; booking_id ${booking.id})`)
      .join('\n'),
    contextHeading: hasMetadata ? CONTEXT_HEADING[tenant.language] : '',
    context: Object.entries(metadata)
      .map(([key, value]) => `- ${key}: ${String(value)}`)
      .join('\n'),
  });
}

/** "Ana Pérez, ana@example.com, interested in Depilación láser (stage qualified)": data, like the metadata. */
function knownCustomerLine(lead: NonNullable<PromptFacts['lead']>): string {
  const details = [lead.name, lead.email, lead.phone, lead.company].filter(Boolean).join(', ');
  const interests = lead.interests.length > 0 ? `; interests: ${lead.interests.join(', ')}` : '';
  return details || interests ? `${details}${interests} (lead stage ${lead.stage})` : '';
}

/** The business's facts in its own language (else whichever it gave), one prompt line each. */
function businessFactLines(tenant: Tenant): Record<string, string> {
  const facts = tenant.facts[tenant.language] ?? Object.values(tenant.facts)[0] ?? {};
  return {
    address: facts.address ?? '',
    phone: facts.phone ?? '',
    paymentMethods: (facts.paymentMethods ?? []).join(', '),
    policies: (facts.policies ?? []).join(' '),
    faqHeading: facts.faq?.length ? FAQ_HEADING[tenant.language] : '',
    faq: (facts.faq ?? []).map(({ question, answer }) => `- ${question} ${answer}`).join('\n'),
  };
}

/**
 * The conversation as the model sees it: the running summary of what was folded away, then the
 * recent messages. Staff messages speak for the business, so they are the assistant's side.
 */
export function toModelMessages(transcript: readonly TranscriptEntry[], summary = ''): ModelMessage[] {
  const earlier: ModelMessage[] = summary ? [{ role: 'system', content: `${SUMMARY_HEADING}\n${summary}` }] : [];
  return [
    ...earlier,
    ...transcript.map((entry): ModelMessage => {
      if (entry.role === 'customer') return { role: 'user', content: customerContent(entry.text, entry.media) };
      return { role: 'assistant', content: entry.role === 'staff' ? `[${entry.author ?? 'staff'}] ${entry.text}` : entry.text };
    }),
  ];
}

/** Text alone stays a string; images become image parts, voice notes their transcription. */
function customerContent(text: string, media: readonly Media[] = []): string | ChatCompletionContentPart[] {
  // Channels give a caption as the message's text too: said once is enough.
  const captionOf = (item: Media) => (item.caption && item.caption !== text ? item.caption : undefined);
  const lines = [
    text,
    ...media.map((item) => {
      if (item.kind === 'audio') return item.transcript ? `${TRANSCRIBED_VOICE_NOTE} ${item.transcript}` : UNTRANSCRIBED_VOICE_NOTE;
      if (item.kind === 'image' && item.url) return captionOf(item) ?? '';
      const caption = captionOf(item);
      return `[${item.kind}${caption ? `: ${caption}` : ''}]`;
    }),
  ].filter(Boolean);
  const images = media.filter((item) => item.kind === 'image' && item.url);
  if (images.length === 0) return lines.join('\n');
  return [
    ...(lines.length > 0 ? [{ type: 'text' as const, text: lines.join('\n') }] : []),
    ...images.map((image) => ({ type: 'image_url' as const, image_url: { url: image.url! } })),
  ];
}

/** One round of this turn's tool use: what the model asked for and what it got back. */
export interface ToolStep {
  text?: string;
  calls: ProposedToolCall[];
  results: ToolResult[];
}

/** A turn's tool rounds as chat messages: the model's calls, then one tool message per result. */
export function toolStepMessages(steps: readonly ToolStep[]): ModelMessage[] {
  return steps.flatMap((step): ModelMessage[] => [
    {
      role: 'assistant',
      content: step.text ?? null,
      tool_calls: step.calls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        // Providers reject a history whose arguments are not JSON; the refusal explains the error.
        function: { name: call.name, arguments: isJson(call.arguments) ? call.arguments : '{}' },
      })),
    },
    ...step.results.map((result): ModelMessage => ({ role: 'tool', tool_call_id: result.callId, content: JSON.stringify(result.content) })),
  ]);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Asks the model to fold older messages into the running summary. */
export function buildSummaryMessages(previousSummary: string, entries: readonly TranscriptEntry[]): ModelMessage[] {
  return [
    { role: 'system', content: renderTemplate(SUMMARY_PROMPT, { maxChars: String(MAX_SUMMARY_CHARS) }) },
    {
      role: 'user',
      content: [previousSummary && `Summary so far:\n${previousSummary}`, `New messages:\n${formatForSummary(entries)}`].filter(Boolean).join('\n\n'),
    },
  ];
}
