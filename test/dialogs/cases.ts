import { ENGLISH_DIALOGS } from './cases-en';
import { SPANISH_DIALOGS } from './cases-es';
import type { DialogCase } from './types';

/**
 * The dialog set of issue 11: WhatsApp-style booking dialogs with the demo clinic, judged by the
 * bookings they leave in PostgreSQL (test/offline-dialogs.test.ts).
 */
export const DIALOGS: readonly DialogCase[] = [...SPANISH_DIALOGS, ...ENGLISH_DIALOGS];

export { booking, type DialogCase, type DialogScript, type ExpectedBooking, type Seed, type Turn } from './types';
