import type { MediaDownloader } from './media-download';
import { inlineImages } from './inline-images';
import { ApplicationFailure, log } from '@temporalio/activity';
import { listUpcomingBookings } from '../db/bookings';
import { searchServices } from '../db/catalogue';
import type { Pool } from '../db/pool';
import { findLead, findLeadByPhone } from '../db/leads';
import type { Lead } from '../domain/leads';
import { channelPhone } from './leads';
import { loadBookingPolicy } from '../db/schedules';
import { cachedTenantLookup } from '../db/tenants';
import type { AssistantReply, ConversationRef, RequestContext, TokenUsage, TranscriptEntry } from '../domain/conversation';
import type { ModelOutput } from '../domain/model-turn';
import { offlineModelStep } from '../domain/offline-model';
import { buildSystemPrompt, toModelMessages, toolStepMessages, type PromptFacts, type ToolStep } from '../domain/prompt';
import { openingSpan } from '../domain/scheduling/schedule';
import { unavailableReply } from '../domain/unavailable-reply';
import type { Tenant } from '../domain/tenant';
import { checkToolCall, isAssistantToolName, toolsForModel } from '../domain/tools';
import { USAGE_METRICS } from '../domain/usage-metrics';
import { bookingSummary } from './booking-context';
import { activityCallLimits } from './call-limits';
import { withHeartbeat } from './heartbeat';
import { AllProvidersFailedError, completeChat, type ChatOptions, type ModelChain, type ModelCompletion } from './llm-providers';
import { eventCounter, providerCallCounters, recordUsage, toolCounter } from './usage';
import type { CounterIncrement } from '../db/usage-counters';

export interface AssistantTurnInput {
  tenantId: string;
  /** The recent messages, verbatim. */
  transcript: TranscriptEntry[];
  /** What was folded out of the transcript, and what earlier conversations left. */
  summary: string;
  context?: RequestContext;
}

export interface AssistantStepInput extends AssistantTurnInput {
  /** Whose conversation: their upcoming bookings go into the prompt. */
  customer?: ConversationRef;
  /** This turn's tool rounds so far, with their results. */
  steps: ToolStep[];
  /** False once the turn has used its tool rounds: the model must answer in text now. */
  toolsAllowed: boolean;
}

/** One model step: tool calls to run, or the text for the customer (and maybe a handoff). */
export interface AssistantStep extends ModelCompletion {
  escalation?: { reason: string };
}

/** Labels the offline model's replies wherever provider and model are shown. */
export const OFFLINE_MODEL = { provider: 'offline', model: 'concierge-offline-rules-v1' } as const;
const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };

export function createAssistantActivities(deps: { pool: Pool; chain: ModelChain; download: MediaDownloader }) {
  const findTenant = cachedTenantLookup(deps.pool);
  const loadTenant = async (tenantId: string): Promise<Tenant> => {
    const tenant = await findTenant(tenantId);
    if (!tenant) throw ApplicationFailure.nonRetryable(`Unknown tenant "${tenantId}"`, 'UnknownTenant');
    return tenant;
  };

  const assistantStep = async (input: AssistantStepInput): Promise<AssistantStep> => {
    const limits = activityCallLimits();
    const tenant = await loadTenant(input.tenantId);
    // The offline model does not look at pictures: nothing to download for it.
    const transcript = deps.chain.clients.length > 0 && input.customer ? await inlineImages(input.transcript, input.customer, deps.download) : input.transcript;
    const conversation = [...toModelMessages(transcript, input.summary), ...toolStepMessages(input.steps)];
    const counters: CounterIncrement[] = [];
    try {
      const step = await nextStep(tenant, conversation, input, { ...limits, onCall: (call) => counters.push(...providerCallCounters(tenant.id, call)) });
      // With no tool rounds left, any calls the model still makes are dropped: it has its text.
      const output: ModelOutput = input.toolsAllowed ? step : { text: step.text, toolCalls: [] };
      // Nothing to say and nothing to do (calls made after the last round): a person takes over
      // rather than the customer getting an empty message.
      if (!output.text && output.toolCalls.length === 0) throw new AllProvidersFailedError([`${step.provider}: no text after the last tool round`]);
      for (const call of output.toolCalls) {
        // Only refusals are counted here; the tool activities count the calls they run. A name
        // the model made up is not a label: it would make a time series per hallucination.
        if (!checkToolCall(call).valid) counters.push(toolCounter(tenant.id, isAssistantToolName(call.name) ? call.name : 'unknown', 'invalid'));
      }
      if (output.toolCalls.length === 0) {
        counters.push({ metric: USAGE_METRICS.turns.name, tenantId: tenant.id, labels: { provider: step.provider }, value: 1 });
      }
      return { ...step, ...output };
    } catch (error) {
      if (!(error instanceof AllProvidersFailedError)) throw error;
      log.warn('every LLM provider failed; handing over to staff', { failures: error.failures });
      counters.push(eventCounter(USAGE_METRICS.errors, tenant.id, { kind: 'llm_chain_exhausted' }));
      const { text, provider, model, usage, escalation } = unavailableReply(tenant);
      return { text, toolCalls: [], provider, model, usage, escalation };
    } finally {
      await recordUsage(deps.pool, counters);
    }
  };

  const nextStep = async (
    tenant: Tenant,
    conversation: ReturnType<typeof toModelMessages>,
    input: AssistantStepInput,
    options: ChatOptions,
  ): Promise<ModelCompletion> => {
    if (deps.chain.clients.length === 0) {
      const [policy, lead] = await Promise.all([loadBookingPolicy(deps.pool, tenant.id), input.customer && knownLead(deps.pool, input.customer)]);
      const options = {
        language: tenant.language,
        businessName: tenant.name,
        facts: tenant.facts,
        now: new Date().toISOString(),
        timeZone: tenant.timeZone,
        openingHours: policy && openingSpan(policy.schedule.weeklyHours),
        customerName: lead?.name ?? undefined,
      };
      return { ...offlineModelStep(conversation, options), ...OFFLINE_MODEL, usage: NO_USAGE };
    }
    const catalogue = await searchServices(deps.pool, tenant.id);
    const bookings = input.customer ? await bookingFacts(deps.pool, tenant, input.customer) : {};
    const lead = input.customer ? await knownLead(deps.pool, input.customer) : undefined;
    const system = buildSystemPrompt(tenant, new Date(), { context: input.context, catalogue, lead, ...bookings });
    const request = { messages: [{ role: 'system' as const, content: system }, ...conversation], tools: toolsForModel(), toolsAllowed: input.toolsAllowed };
    return withHeartbeat(() => completeChat(deps.chain, request, options));
  };

  return {
    assistantStep,

    /**
     * One whole turn without tools. Scheduled only by conversations started before tool calling
     * (patch `assistant-tools`); kept until no such run can still be waiting on it.
     */
    async generateReply(input: AssistantTurnInput): Promise<AssistantReply> {
      const { text, provider, model, usage, escalation } = await assistantStep({ ...input, steps: [], toolsAllowed: false });
      return { text: text ?? '', provider, model, usage, escalation };
    },
  };
}

/** The contact's lead, or the lead of the same phone on another channel: a returning customer. */
async function knownLead(pool: Pool, customer: ConversationRef): Promise<Lead | undefined> {
  return (await findLead(pool, customer)) ?? findLeadByPhone(pool, customer.tenantId, channelPhone(customer));
}

/** The customer's upcoming bookings, or the page to book on in booking-link mode. */
async function bookingFacts(pool: Pool, tenant: Tenant, customer: ConversationRef): Promise<Pick<PromptFacts, 'upcomingBookings' | 'bookingUrl'>> {
  const policy = await loadBookingPolicy(pool, tenant.id);
  if (!policy) return {}; // a tenant that takes no appointments
  if (policy.bookingMode === 'link') return { bookingUrl: policy.bookingUrl ?? undefined };
  const upcoming = await listUpcomingBookings(pool, customer, new Date());
  return { upcomingBookings: upcoming.map((booking) => bookingSummary({ tenant, policy }, booking)) };
}
