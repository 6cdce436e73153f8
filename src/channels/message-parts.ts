import type { Choice, OutboundMessage } from './adapter';

/**
 * For a channel (or a message) without buttons: the choices the text does not name already,
 * listed under it. Bullets, not numbers: a customer who answers "2" would be misunderstood.
 */
export function textWithChoices(text: string, choices: readonly Choice[] | undefined): string {
  const unnamed = (choices ?? []).filter((choice) => !text.includes(choice.title));
  if (unnamed.length === 0) return text;
  return `${text}\n\n${unnamed.map((choice) => `• ${choice.title}`).join('\n')}`;
}

/** WhatsApp shows a document by its file name: the URL's last segment when none was given. */
export function fileNameOf(url: string): string {
  const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return decodeURIComponent(segment) || 'document';
  } catch {
    return segment;
  }
}

/** WhatsApp's customer-service window: free text reaches a customer up to 24 h after they last wrote. */
const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** True when the window is closed, or no one knows when the customer last wrote. */
export function outsideServiceWindow({ lastInboundAt }: OutboundMessage, now: Date): boolean {
  const lastInbound = lastInboundAt ? Date.parse(lastInboundAt) : NaN;
  return Number.isNaN(lastInbound) || now.getTime() - lastInbound >= SERVICE_WINDOW_MS;
}
