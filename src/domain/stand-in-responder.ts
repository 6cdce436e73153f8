import type { AssistantReply, TranscriptEntry } from './conversation';
import type { Tenant } from './tenant';

const APOLOGY = {
  es: 'Disculpá, en este momento no puedo responderte. Ya avisé a una persona del equipo, que te va a escribir por acá.',
  en: "Sorry, I can't answer right now. I've let someone on the team know, and they will reply here.",
} as const;

/** The one message a customer gets when no model could answer: a person takes over. */
export function unavailableReply(tenant: Tenant): AssistantReply {
  return {
    text: APOLOGY[tenant.language],
    provider: 'none',
    model: 'none',
    usage: { promptTokens: 0, completionTokens: 0 },
    escalation: { reason: 'the assistant could not answer (every LLM provider failed)' },
  };
}

/**
 * STAND-IN RESPONDER — not an assistant. It answers when no LLM provider is configured, so that
 * the product runs out of the box, until the offline rule-based model replaces it. Its replies
 * say so, and carry provider "stand-in".
 */
export function standInReply(tenant: Tenant, transcript: readonly TranscriptEntry[]): AssistantReply {
  const lastCustomerText = [...transcript].reverse().find((entry) => entry.role === 'customer')?.text ?? '';
  const text =
    tenant.language === 'es'
      ? `¡Hola! Soy el asistente de ${tenant.name}. Recibí tu mensaje: «${lastCustomerText}». ` +
        '(Respuesta automática provisional: aún no hay un modelo de lenguaje configurado.)'
      : `Hi! I am ${tenant.name}'s assistant. I got your message: "${lastCustomerText}". ` +
        '(Provisional automatic reply: no language model is configured yet.)';
  return { text, provider: 'stand-in', model: 'stand-in-responder', usage: { promptTokens: 0, completionTokens: 0 } };
}
