import type { ServiceFacts } from './format';
import type { Language } from './language';

/** Everything the offline model says, in each language. Spanish is neutral Latin American (tú). */
export interface Replies {
  /** With the customer's name when their lead has it: a returning customer is recognised. */
  greeting(businessName: string, customerName?: string): string;
  help: string;
  anythingElse: string;
  thanks: string;
  farewell: string;
  declined: string;
  cannotListen: string;
  cannotSeeImages: string;
  /** Ends every reply that proposes a person; a "sí" to it hands the conversation over. */
  offerHuman: string;
  /** Ends the reply to a search without matches; a "sí" to it lists the catalogue. */
  offerCatalogue: string;
  unknownBusinessInfo: string;
  handedOver: string;
  handOverFailed: string;
  catalogueUnavailable: string;
  somethingFailed: string;
  emptyCatalogue: string;
  noMatch(query: string): string;
  oneService(service: ServiceFacts): string;
  matches(lines: string): string;
  /** A service the catalogue does not have, asked by name: a clear no, and what is closest. */
  notOffered(query: string, lines: string): string;
  catalogue(lines: string): string;
  /** For the staff who take over; written in the business's language, not the customer's. */
  reasonAsked(excerpt: string): string;
  reasonAccepted: string;
}

const es: Replies = {
  greeting: (businessName, customerName) =>
    `¡Hola${customerName ? `, ${customerName}` : ''}! Soy el asistente automático de ${businessName}. Puedo contarte sobre nuestros servicios y precios, ` +
    'reservar, cambiar o cancelar tu cita, o comunicarte con una persona del equipo. ¿En qué te ayudo?',
  help:
    'Puedo ayudarte con nuestros servicios y precios, reservar, cambiar o cancelar tu cita, o comunicarte con una ' +
    'persona del equipo. ¿Qué necesitas?',
  anythingElse: '¿Te ayudo con algo más?',
  thanks: '¡Con gusto! Si necesitas algo más, aquí estoy.',
  farewell: '¡Hasta pronto! Aquí estoy cuando me necesites.',
  declined: 'Está bien. Si necesitas algo más, aquí estoy.',
  cannotListen: 'Perdona, no puedo escuchar audios. ¿Me lo escribes, por favor?',
  cannotSeeImages: 'Recibí tu imagen, pero no puedo verla. ¿Me cuentas por escrito qué necesitas?',
  offerHuman: '¿Quieres que te comunique con una persona del equipo?',
  offerCatalogue: '¿Quieres que te muestre la lista completa de servicios?',
  unknownBusinessInfo: 'No tengo ese dato por aquí, pero una persona del equipo sí puede dártelo.',
  handedOver: 'Listo, ya avisé al equipo: una persona te responderá por aquí en cuanto pueda.',
  handOverFailed: 'Perdona, no pude avisar al equipo en este momento. Por favor, intenta de nuevo en unos minutos.',
  catalogueUnavailable: 'Perdona, no pude consultar los servicios en este momento.',
  somethingFailed: 'Perdona, algo falló de mi lado y no pude completarlo.',
  emptyCatalogue: 'Por ahora no tengo servicios cargados para mostrarte.',
  noMatch: (query) => `No encontré «${query}» entre nuestros servicios.`,
  oneService: ({ name, price, duration }) => `${name} cuesta ${price} y dura ${duration}. ${es.anythingElse}`,
  matches: (lines) => `Encontré estas opciones:\n${lines}\n¿Cuál te interesa?`,
  notOffered: (query, lines) => `No, «${query}» no lo ofrecemos. Lo más parecido que tenemos:\n${lines}\n¿Te interesa?`,
  catalogue: (lines) => `Estos son nuestros servicios:\n${lines}\n¿Quieres saber más de alguno?`,
  reasonAsked: (excerpt) => `El cliente pidió hablar con una persona: «${excerpt}»`,
  reasonAccepted: 'El cliente aceptó que lo comuniquen con una persona del equipo.',
};

const en: Replies = {
  greeting: (businessName, customerName) =>
    `Hi${customerName ? ` ${customerName}` : ''}! I'm ${businessName}'s automated assistant. I can tell you about our services and prices, book, move or ` +
    'cancel your appointment, or put you in touch with someone from the team. How can I help?',
  help:
    'I can help with our services and prices, book, move or cancel your appointment, or put you in touch with ' +
    'someone from the team. What do you need?',
  anythingElse: 'Anything else I can help with?',
  thanks: "You're welcome! If you need anything else, I'm here.",
  farewell: "See you soon! I'm here whenever you need me.",
  declined: "No problem. If you need anything else, I'm here.",
  cannotListen: "Sorry, I can't listen to voice notes. Could you write it to me, please?",
  cannotSeeImages: "I got your image, but I can't view images. Could you tell me in writing what you need?",
  offerHuman: 'Would you like me to connect you with someone from the team?',
  offerCatalogue: 'Would you like to see the full list of services?',
  unknownBusinessInfo: "I don't have that information here, but someone from the team can tell you.",
  handedOver: "Done: I've let the team know, and someone will reply here as soon as they can.",
  handOverFailed: "Sorry, I couldn't reach the team just now. Please try again in a few minutes.",
  catalogueUnavailable: "Sorry, I couldn't look up our services just now.",
  somethingFailed: "Sorry, something went wrong on my side and I couldn't finish that.",
  emptyCatalogue: "I don't have any services to show you yet.",
  noMatch: (query) => `I couldn't find "${query}" among our services.`,
  oneService: ({ name, price, duration }) => `${name} costs ${price} and takes ${duration}. ${en.anythingElse}`,
  matches: (lines) => `Here's what I found:\n${lines}\nWhich one are you interested in?`,
  notOffered: (query, lines) => `No, we don't offer "${query}". The closest we have:\n${lines}\nWould that interest you?`,
  catalogue: (lines) => `These are our services:\n${lines}\nWould you like to know more about any of them?`,
  reasonAsked: (excerpt) => `The customer asked to talk to a person: "${excerpt}"`,
  reasonAccepted: 'The customer accepted to be put in touch with someone from the team.',
};

export const REPLIES: Record<Language, Replies> = { es, en };

export function serviceLine({ name, price, duration }: ServiceFacts): string {
  return `• ${name}: ${price} (${duration})`;
}
