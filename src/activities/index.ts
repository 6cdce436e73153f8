import { channelSetupLookup, type DemoChannels } from '../channels/setup';
import type { LlmProvider } from '../config';
import type { CrmSettings } from '../crm/adapter';
import type { Pool } from '../db/pool';
import type { PriceTable } from '../domain/pricing';
import type { Logger } from '../logger';
import type { TemporalAccess } from '../temporal/appointments';
import { requestLeadSync } from '../temporal/leads';
import type { LeadSyncInput } from '../workflows/lead-sync-definitions';
import { createAppointmentActivities } from './appointments';
import { createAssistantActivities } from './assistant';
import { createBookingActivities } from './bookings';
import { createCalendarEventActivities } from './calendar-events';
import { createBusyReader } from '../calendars/busy-cache';
import { createExternalCalendars } from '../calendars/external-calendars';
import { createConversationTurnActivities } from './conversation-turn';
import { createDeliveryActivities } from './delivery';
import { createHandoffActivities } from './handoff';
import { createLeadActivities } from './leads';
import { createModelChain } from './llm-providers';
import { createReminderActivities } from './reminders';
import { createMemoryActivities } from './memory';
import { createToolActivities } from './tools';
import { createTranscriptionActivities } from './transcription';
import { mediaDownloader } from './media-download';

export interface ActivityDeps {
  pool: Pool;
  llmProviders: readonly LlmProvider[];
  llmPrices: PriceTable;
  /** The demo tenant's channels (env); other tenants' are read from PostgreSQL. */
  channels: DemoChannels;
  logger: Logger;
  /** For activities that start or signal workflows (a booking wakes its appointment workflow). */
  temporal: TemporalAccess;
  /** The demo tenant's CRM (env); other tenants' are read from PostgreSQL. */
  demoCrm?: CrmSettings;
}

/** Every activity the worker registers, bound to the process's shared resources. */
export function createActivities(deps: ActivityDeps) {
  const chain = createModelChain(deps.llmProviders, deps.llmPrices);
  const channels = channelSetupLookup(deps.pool, deps.channels);
  const download = mediaDownloader(channels);
  const assistant = createAssistantActivities({ pool: deps.pool, chain, download });
  const memory = createMemoryActivities({ pool: deps.pool, chain });
  const delivery = createDeliveryActivities({ pool: deps.pool, channels });
  const calendars = createExternalCalendars(deps.pool, createBusyReader({ logger: deps.logger }));
  const leads = { pool: deps.pool, syncLead: (lead: LeadSyncInput) => requestLeadSync(deps.temporal, lead), demoCrm: deps.demoCrm, contactKeySecret: deps.temporal.contactKeySecret };
  return {
    ...assistant,
    ...createConversationTurnActivities({ pool: deps.pool, assistantStep: assistant.assistantStep, summarizeConversation: memory.summarizeConversation }),
    ...createToolActivities({ pool: deps.pool }),
    ...createBookingActivities({ ...leads, calendars }),
    ...createCalendarEventActivities({ pool: deps.pool, calendars, temporal: deps.temporal, channels }),
    ...createLeadActivities(leads),
    ...createAppointmentActivities({ pool: deps.pool, temporal: deps.temporal }),
    ...createTranscriptionActivities({ chain, download }),
    ...memory,
    ...delivery,
    ...createHandoffActivities({ pool: deps.pool, logger: deps.logger }),
    ...createReminderActivities({ pool: deps.pool, temporal: deps.temporal, channels }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
