import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { WebhookEvent } from '../channels/adapter';
import type { ConversationRef } from '../domain/conversation';
import type { Logger } from '../logger';
import { templateResendWorkflow, templateResendWorkflowId } from '../workflows';

type DeliveryFailure = Extract<WebhookEvent, { kind: 'delivery-failed' }>;
export type DeliveryFailureHandler = (ref: ConversationRef, failure: DeliveryFailure) => Promise<void>;

/**
 * A provider reported that a message of ours did not arrive. Refused because the customer's
 * service window had closed (WhatsApp 131047), a reminder is sent again as the approved
 * template, durably: a workflow keyed by the failed message, so a redelivered report starts
 * nothing more. Other failures (a number not on WhatsApp…) are only logged.
 */
export function deliveryFailureHandler(deps: { client: Client; taskQueue: string; logger: Logger }): DeliveryFailureHandler {
  return async (ref, failure) => {
    if (!failure.outsideWindow) {
      deps.logger.warn({ channel: ref.channel, reason: failure.reason }, 'a message could not be delivered');
      return;
    }
    try {
      await deps.client.workflow.start(templateResendWorkflow, {
        workflowId: templateResendWorkflowId(ref, failure.providerMessageId),
        taskQueue: deps.taskQueue,
        args: [{ ref, providerMessageId: failure.providerMessageId }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };
}
