import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The activity type of an event that runs one: a scheduled activity, or a local activity's marker. */
export function activityTypeOf(event: HistoryEvent): string | undefined {
  const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
  if (scheduled) return scheduled;
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  const details = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string };
  return details.activity_type;
}

/** How many times the workflow ran an activity of this type (local ones included). */
export async function activityRuns(handle: WorkflowHandle, activityType: string): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((event) => activityTypeOf(event) === activityType).length;
}
