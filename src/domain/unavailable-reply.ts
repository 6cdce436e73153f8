import type { AssistantReply } from './conversation';
import type { Tenant } from './tenant';

const APOLOGY = {
  es: 'Disculpa, en este momento no puedo responderte. Ya avisé a una persona del equipo, que te escribirá por aquí.',
  en: "Sorry, I can't answer right now. I've let someone on the team know, and they will reply here.",
} as const;

/** The one message a customer gets when no model could answer: a person takes over. */
export function unavailableReply(tenant: Tenant): AssistantReply {
  return {
    text: APOLOGY[tenant.language],
    provider: 'none',
    model: 'none',
    usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
    escalation: { reason: 'the assistant could not answer (every LLM provider failed)' },
  };
}
