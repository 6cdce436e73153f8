import type { LeadDetails } from '../leads';

/** What a customer's message tells about them, and the message without it (for every other reading). */
export interface ContactDetailsReading {
  details: LeadDetails;
  rest: string;
}

const EMAIL = /(?:(?:mi|my)\s+(?:e-?mail|mail|correo(?: electr[oó]nico)?)(?:\s+(?:es|is))?:?\s*)?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/iu;
const PHONE =
  /(?:(?:mi|my)\s+(?:n[uú]mero|cel(?:ular)?|tel[eé]fono|whatsapp|number|phone|cell)(?:\s+(?:es|is))?:?\s*|(?:tel[eé]fono|tel|cel|phone):\s*)(\+?\d[\d\s().-]{6,20}\d)|(\+\d[\d\s().-]{7,20}\d)/iu;
const COMPANY =
  /(?:trabajo en|de la empresa|mi empresa(?: es)?|la empresa|i work (?:at|for)|my company(?: is)?|company:)\s+([\p{L}\d&.'-]+(?:\s+[\p{L}\d&.'-]+){0,3}?)(?=\s*(?:[,.;!?\n]|$|\s+(?:y|and|mi|my)\s))/iu;
// "me llamo" and "my name is" name whatever follows; "soy" and "I'm" only a capitalised name ("soy nueva" is none).
const NAME_SAID = /(?:me llamo|mi nombre es|my name is|name's)\s+([\p{L}'-]+(?:\s+[\p{L}'-]+){0,2})/iu;
const NAME_INTRODUCED = /(?:^|[\s,¡!])(?:[Ss]oy|[Ii]['’]m|[Ii] am|[Tt]his is|[Hh]abla)\s+(\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*){0,2})/u;
// Words that end a name: "me llamo Ana y quiero…", "my name is Ben and…".
const AFTER_NAME = new Set(['y', 'e', 'and', 'mi', 'my', 'de', 'from', 'con', 'with', 'quiero', 'queria', 'quería', 'tengo', 'i', 'el', 'la', 'por', 'para', 'im', 'soy']);

/** Reads name, e-mail, phone and company from a customer's words, as they say them in chat. */
export function readContactDetails(text: string): ContactDetailsReading {
  const details: LeadDetails = {};
  let rest = text;
  const take = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(rest);
    if (!match) return undefined;
    rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
    return match.slice(1).find((group) => group !== undefined);
  };
  const email = take(EMAIL);
  if (email) details.email = email.toLowerCase();
  const phone = take(PHONE);
  if (phone && phone.replace(/\D/g, '').length >= 7) details.phone = phone.replace(/[^\d+]/g, '');
  const company = take(COMPANY);
  if (company) details.company = company.trim();
  for (const pattern of [NAME_SAID, NAME_INTRODUCED]) {
    const match = pattern.exec(rest);
    if (!match) continue;
    const said = match[1]!.split(/\s+/);
    const stop = said.findIndex((word) => AFTER_NAME.has(word.toLowerCase()));
    const words = stop === -1 ? said : said.slice(0, stop);
    if (words.length === 0) continue;
    details.name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
    // Only the cue and the name go: "y quiero turno" after it is still to be read.
    const end = match.index + match[0].length - match[1]!.length + match[1]!.indexOf(words.at(-1)!) + words.at(-1)!.length;
    rest = `${rest.slice(0, match.index)} ${rest.slice(end)}`;
    break;
  }
  return { details, rest: rest.replace(/\s{2,}/g, ' ').trim() };
}
