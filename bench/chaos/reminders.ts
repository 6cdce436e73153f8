import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';

/**
 * The demo tenant reminds a day and an hour before an appointment. Bookings are made at least an
 * hour ahead, so in a run of minutes hardly any reminder would fall due, and "none after a cancel"
 * would go untested. For the run, the tenant reminds a day ahead and every 25 minutes in the last
 * 3¾ hours (10 offsets, the most a tenant may have). Not every 30: slots start on the hour and the
 * half hour, and reminders would all fall on those too, maybe never within a run of minutes; at
 * 25, the reminders of the day's bookings fall every 5 minutes, while customers move and cancel.
 */
export const RUN_REMINDER_OFFSETS_MINUTES = [1440, 225, 200, 175, 150, 125, 100, 75, 50, 25];

export async function remindOften(databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, createLogger('warn'));
  try {
    await pool.query(`UPDATE schedules SET reminder_offsets_minutes = $1 WHERE tenant_id = 'demo'`, [RUN_REMINDER_OFFSETS_MINUTES]);
  } finally {
    await pool.end();
  }
}
