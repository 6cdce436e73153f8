import type { FloorMessage, FloorReply } from './definitions';

/** Stands in for the model call: the floor measures the workflow machinery, not a model. */
export async function cannedReply(message: FloorMessage): Promise<FloorReply> {
  return { messageId: message.messageId, text: 'Gracias por escribir: enseguida te respondemos.' };
}
