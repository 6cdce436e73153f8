import { ApplicationFailure } from '@temporalio/activity';
import type { ChannelSetupLookup } from '../channels/setup';
import type { Pool } from '../db/pool';
import { cachedTenantLookup } from '../db/tenants';
import type { ConversationRef } from '../domain/conversation';
import type { ProactiveMessage } from '../domain/conversation-session';
import type { TemporalAccess } from '../temporal/appointments';
import { deliverProactiveMessage } from '../temporal/conversations';

/**
 * Hands a message the business starts (a reminder, a video call link) to the contact's
 * conversation, started if none runs, which writes it into the transcript and sends it once.
 */
export function proactiveMessageSender(deps: { pool: Pool; temporal: TemporalAccess; channels: ChannelSetupLookup }) {
  const findTenant = cachedTenantLookup(deps.pool);
  return async (ref: ConversationRef, message: ProactiveMessage): Promise<void> => {
    const tenant = await findTenant(ref.tenantId);
    if (!tenant) throw ApplicationFailure.nonRetryable(`Unknown tenant "${ref.tenantId}"`, 'UnknownTenant');
    const setup = ref.channel === 'web' ? undefined : await deps.channels(ref.tenantId, ref.channel);
    await deliverProactiveMessage(deps.temporal, tenant, ref, message, setup?.quietPeriodMs);
  };
}
