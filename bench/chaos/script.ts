/**
 * What chaos customers say, and how the fake model reads it back. Each message ends with a tag,
 * `[book c12m3]`: what the customer wants and the message's own id. The model answers the intent
 * with tool calls and, at the end of the turn, a reply naming the ids it answers (`re c12m3`),
 * so the channel fakes can tell which message each reply answers.
 */
export const INTENTS = ['ask', 'lead', 'book', 'reschedule', 'cancel'] as const;
export type Intent = (typeof INTENTS)[number];

const TEXTS: Record<Intent, (customer: number) => string> = {
  ask: () => '¿Qué servicios tienen y cuánto cuestan?',
  lead: (customer) => `Me llamo ${customerName(customer)}, mi correo es ${customerEmail(customer)} y me interesa ${SERVICES[customer % SERVICES.length]}`,
  book: (customer) => `Quiero reservar un turno de ${SERVICES[customer % SERVICES.length]}`,
  reschedule: () => '¿Puedo cambiar mi turno a otro horario?',
  cancel: () => 'Necesito cancelar mi turno',
};

/** The demo tenant's services (tenants/demo.json), by id: what customers ask for. */
export const SERVICES = ['limpieza-facial', 'depilacion-laser', 'masaje-descontracturante', 'peeling-quimico'] as const;

/**
 * One customer's conversation, repeated for as long as the run sends. Customers start at
 * different points of it, so every intent is in the mix at any time.
 */
const PLAN: Intent[] = ['ask', 'lead', 'book', 'ask', 'reschedule', 'book', 'cancel', 'ask', 'book'];

export function intentAt(customer: number, index: number): Intent {
  return PLAN[(customer + index) % PLAN.length]!;
}

/** `c12m3`: customer 12's fourth message. */
export function messageTag(customer: number, index: number): string {
  return `c${customer}m${index}`;
}

export function messageText(customer: number, index: number): string {
  const intent = intentAt(customer, index);
  return `${TEXTS[intent](customer)} [${intent} ${messageTag(customer, index)}]`;
}

export function customerName(customer: number): string {
  return `Cliente${customer} Caos`;
}

export function customerEmail(customer: number): string {
  return `cliente${customer}@chaos.example`;
}

const TAG = /\[(ask|lead|book|reschedule|cancel) c(\d+)m(\d+)\]/g;

export interface Tagged {
  intent: Intent;
  customer: number;
  tag: string;
}

/** The tags in a customer's text, in order. */
export function readTags(text: string): Tagged[] {
  return [...text.matchAll(TAG)].map((match) => ({ intent: match[1] as Intent, customer: Number(match[2]), tag: `c${match[2]}m${match[3]}` }));
}

/** The reply's line naming what it answers. */
export function replyLine(tags: readonly string[]): string {
  return tags.map((tag) => `re ${tag}`).join(' ');
}

const REPLY = /\bre (c\d+m\d+)\b/g;

/** The message ids a reply says it answers. */
export function answeredTags(text: string): string[] {
  return [...text.matchAll(REPLY)].map((match) => match[1]!);
}
