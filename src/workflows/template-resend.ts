import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SendResult, TemplateResendInput } from '../activities/delivery';
import { DELIVERY } from './activity-options';

const { resendAsTemplate } = proxyActivities<Activities>(DELIVERY);

/** One per failed message: its id makes a redelivered failure report start nothing more. */
export function templateResendWorkflowId({ tenantId, channel }: { tenantId: string; channel: string }, providerMessageId: string): string {
  return `template-resend:${tenantId}:${channel}:${providerMessageId}`;
}

/** A message the channel refused outside the customer's window goes again as its template. */
export async function templateResendWorkflow(input: TemplateResendInput): Promise<SendResult> {
  return resendAsTemplate.executeWithOptions({ summary: `the refused message again, as the ${input.ref.channel} template` }, [input]);
}
