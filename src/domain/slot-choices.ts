import { DateTime } from 'luxon';
import type { Choice } from './conversation';
import { AvailabilityResultSchema, SlotSuggestionsSchema, type SlotOffer } from './booking';
import type { ToolStep } from './prompt';
import type { Tenant } from './tenant';

/** WhatsApp lists take ten rows; more than that is no longer a quick choice anyway. */
const MAX_CHOICES = 10;

/**
 * The free times a reply offers, as buttons the customer can tap instead of typing: the slots of
 * the turn's last availability answer that the reply names. Each button says its slot well
 * enough to be understood alone when it comes back as the customer's words ("10:00", or
 * "jue 3/12 10:00" when the times span several days).
 */
export function slotChoices(steps: readonly ToolStep[], replyText: string, language: Tenant['language']): Choice[] | undefined {
  const offered = lastOffer(steps).filter((slot) => replyText.includes(slot.time)).slice(0, MAX_CHOICES);
  if (offered.length < 2) return undefined;
  const oneDay = offered.every((slot) => slot.date === offered[0]!.date);
  return offered.map((slot) => ({
    id: `slot:${slot.start}`,
    title: oneDay ? slot.time : `${DateTime.fromISO(slot.date).setLocale(language).toFormat('ccc d/M')} ${slot.time}`.replace('.', ''),
  }));
}

function lastOffer(steps: readonly ToolStep[]): SlotOffer[] {
  for (const step of [...steps].reverse()) {
    for (const result of [...step.results].reverse()) {
      if (result.outcome !== 'ok') continue;
      const availability = AvailabilityResultSchema.safeParse(result.content);
      if (availability.success) return availability.data.slots;
      const suggestions = SlotSuggestionsSchema.safeParse(result.content);
      if (suggestions.success) return suggestions.data.slots;
    }
  }
  return [];
}
