import { z } from 'zod';
import { callTool, type Intent, type Turn } from '../intent';
import type { Language } from '../language';
import { mentions, readJson } from '../text';
import { serviceQuery } from './services';

// "me interesa la depilación", "interested in a facial": an interest the business follows up on.
const INTEREST_CUES = ['me interesa', 'me interesaria', 'interesada en', 'interesado en', 'interested in', 'info de', 'informacion de', 'information about'];

/** The customer told who they are (name, e-mail, phone, company): it is kept on their lead. */
export const leadDetails: Intent = {
  matches: (turn) => Object.keys(turn.burst.details).length > 0,
  respond: (turn) => {
    const interest = mentions(turn.words, INTEREST_CUES) ? serviceQuery(turn.burst.text) : undefined;
    return callTool(turn, 'save_lead_details', { ...turn.burst.details, ...(interest ? { interests: [interest] } : {}) });
  },
};

const SavedLeadSchema = z.object({ lead: z.object({ name: z.string().nullable(), missing: z.array(z.string()) }) });

const THANKS: Record<Language, { thanks(name: string | undefined): string; askContact: string; failed: string }> = {
  es: {
    thanks: (name) => `¡Gracias${name ? `, ${name}` : ''}! Ya tengo tus datos.`,
    askContact: '¿Me dejas un e-mail o un teléfono para que el equipo pueda contactarte?',
    failed: 'Perdona, no pude guardar tus datos en este momento; vuelve a enviármelos en un rato, por favor.',
  },
  en: {
    thanks: (name) => `Thank you${name ? `, ${name}` : ''}! I've noted your details.`,
    askContact: 'Could you leave an e-mail or a phone number so the team can reach you?',
    failed: "Sorry, I couldn't save your details just now; please send them again in a little while.",
  },
};

/** The thanks for details kept, and the question for what the business still needs to reach them. */
export function leadSavedReply(content: string, turn: Turn): { thanks: string; askContact?: string } | { failed: string } {
  const saved = SavedLeadSchema.safeParse(readJson(content));
  const replies = THANKS[turn.language];
  if (!saved.success) return { failed: replies.failed };
  const firstName = saved.data.lead.name?.split(' ')[0];
  return { thanks: replies.thanks(firstName), ...(saved.data.lead.missing.includes('email or phone') ? { askContact: replies.askContact } : {}) };
}
