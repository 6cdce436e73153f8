import type { ToolUse } from './conversation';
import type { Language } from './language';
import { fold } from './words';

/** What one turn meant for the lead: for its trail, and for the CRM's timeline. */
export interface TurnOutcome {
  intent: 'booking' | 'reschedule' | 'cancellation' | 'details' | 'information' | 'handoff' | 'other';
  /** The customer's words (shortened) and what the assistant did. */
  summary: string;
  sentiment: 'positive' | 'neutral' | 'negative';
  nextStep: string;
}

// The tool that did something says what the turn was about; the first that ran well wins.
const INTENT_BY_TOOL: [string, TurnOutcome['intent']][] = [
  ['escalate_to_human', 'handoff'],
  ['create_booking', 'booking'],
  ['reschedule_booking', 'reschedule'],
  ['cancel_booking', 'cancellation'],
  ['save_lead_details', 'details'],
  ['search_services', 'information'],
  ['check_availability', 'information'],
  ['suggest_slots', 'information'],
];

const NEGATIVE = ['mal', 'malo', 'pesimo', 'horrible', 'queja', 'reclamo', 'enojad', 'molest', 'decepcion', 'nunca', 'terrible', 'bad', 'awful', 'angry', 'complain', 'disappoint', 'worst', 'upset'];
const POSITIVE = ['gracias', 'genial', 'perfecto', 'excelente', 'buenisimo', 'joya', 'great', 'thanks', 'thank you', 'perfect', 'awesome', 'excellent', 'love'];

const NEXT_STEPS: Record<TurnOutcome['intent'], Record<Language, string>> = {
  booking: { es: 'Atender la cita reservada.', en: 'See them at the booked appointment.' },
  reschedule: { es: 'Atender la cita en su nuevo horario.', en: 'See them at the new time.' },
  cancellation: { es: 'Ofrecer otra fecha.', en: 'Offer another date.' },
  details: { es: 'Contactar y ofrecer un turno.', en: 'Get in touch and offer an appointment.' },
  information: { es: 'Seguimiento: ofrecer un turno.', en: 'Follow up: offer an appointment.' },
  handoff: { es: 'Responder por el chat: pidió una persona.', en: 'Reply in the chat: they asked for a person.' },
  other: { es: 'Ninguno por ahora.', en: 'None for now.' },
};

const EXCERPT = 280;

/**
 * Reads a turn's outcome from what was said and which tools ran: deterministic and cheap, so it
 * runs after every turn of every conversation whatever the model.
 */
export function turnOutcome(turn: { customerText: string; tools: readonly ToolUse[]; language: Language }): TurnOutcome {
  const done = turn.tools.filter((tool) => tool.outcome === 'ok').map((tool) => tool.name);
  const intent = INTENT_BY_TOOL.find(([tool]) => done.includes(tool))?.[1] ?? 'other';
  const folded = fold(turn.customerText);
  const says = (words: string[]) => words.some((word) => folded.includes(word));
  const sentiment = says(NEGATIVE) ? 'negative' : says(POSITIVE) ? 'positive' : 'neutral';
  const words = turn.customerText.replace(/\s+/g, ' ').trim();
  const excerpt = words.length > EXCERPT ? `${words.slice(0, EXCERPT - 1)}…` : words;
  const tools = done.length > 0 ? ` → ${[...new Set(done)].join(', ')}` : '';
  return { intent, summary: `«${excerpt}»${tools}`, sentiment, nextStep: NEXT_STEPS[intent][turn.language] };
}
