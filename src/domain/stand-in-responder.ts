import type { AssistantReply, TranscriptEntry } from './conversation';
import type { Tenant } from './tenant';

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
