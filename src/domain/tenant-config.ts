import { z } from 'zod';
import { CalendarAccountsSchema, ResourceCalendarSchema, type CalendarAccounts } from '../calendars/adapter';
import { CrmSettingsSchema, type CrmSettings } from '../crm/adapter';
import { BookingPolicySchema } from '../db/schedules';
import { ServiceSchema } from './catalogue';
import { ChannelSchema, TenantIdSchema } from './conversation';
import { QualificationRulesSchema } from './leads';
import { ScheduleSchema, TimeZoneSchema } from './scheduling/schedule';
import { TenantSchema } from './tenant';

/** Ids of services and staff, as the database's CHECK constraints take them. */
const SlugSchema = TenantIdSchema;

const StaffMemberSchema = z.object({
  id: SlugSchema,
  name: z.string().min(1).max(200),
  /** The services this person (or room) performs; each must be one of the document's services. */
  serviceIds: z.array(SlugSchema).max(200),
  /** Absent: the built-in calendar only. Else its busy time counts too, and each booking becomes an event there. */
  calendar: ResourceCalendarSchema.optional(),
});

/** Opening hours, slots, buffers, notice, reminders, quiet hours, booking mode: a tenant's booking policy. */
const BookingSettingsSchema = BookingPolicySchema.extend({
  // The zone is the tenant's; holidays and absences are not configuration.
  schedule: ScheduleSchema.omit({ timeZone: true, dateOverrides: true, blockedPeriods: true }),
  reminderOffsetsMinutes: BookingPolicySchema.shape.reminderOffsetsMinutes.max(10).default([1440, 60]),
  quietHours: BookingPolicySchema.shape.quietHours.default({ start: '21:00', end: '08:00' }),
  bookingMode: BookingPolicySchema.shape.bookingMode.default('assistant'),
  bookingUrl: BookingPolicySchema.shape.bookingUrl.default(null),
}).refine((booking) => booking.bookingMode === 'assistant' || booking.bookingUrl !== null, {
  message: 'bookingMode "link" needs a bookingUrl',
  path: ['bookingUrl'],
});

const MessagingChannelSchema = ChannelSchema.exclude(['web']);

/**
 * One channel's flat document, as `tenant_channels` keeps it: the adapter's credentials plus
 * `quietPeriodMs` and `reminderTemplate`. The API checks it with the code that reads it back
 * (`channelSetup`), which this module cannot import: that one knows the demo tenant, made from this schema.
 */
const ChannelDocumentSchema = z.record(z.string(), z.unknown());

/** What each CRM cannot work without, besides its provider. */
const CRM_REQUIRED: Record<CrmSettings['provider'], (keyof CrmSettings)[]> = {
  builtin: [],
  bitrix24: ['baseUrl'],
  krayin: ['baseUrl', 'token'],
  hubspot: ['token'],
  webhook: ['baseUrl', 'webhookSecret'],
};

const CrmDocumentSchema = CrmSettingsSchema.extend({
  /** How leads are scored and when one is qualified; every rule has a default (answers show them all). */
  qualification: QualificationRulesSchema.optional(),
}).superRefine((crm, context) => {
  for (const field of CRM_REQUIRED[crm.provider]) {
    if (crm[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: `required for provider "${crm.provider}"` });
  }
});

/**
 * A tenant's whole configuration as one JSON document: who the business is (TenantSchema: zone,
 * language, persona, facts and FAQ per language), its catalogue, staff, booking policy, channels
 * CRM and external calendars. `POST /admin/tenants` and `PUT /admin/tenants/:id` take it, tenants/demo.json is one.
 */
export const TenantConfigSchema = TenantSchema.extend({
  timeZone: TimeZoneSchema,
  /** Per-language names go in each service's `translations`. */
  services: z
    .array(
      ServiceSchema.extend({
        id: SlugSchema,
        durationMinutes: ServiceSchema.shape.durationMinutes.max(24 * 60),
        // numeric(12, 2)
        price: ServiceSchema.shape.price.max(9_999_999_999),
        currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
      }),
    )
    .max(500),
  staff: z.array(StaffMemberSchema).max(500).default([]),
  /** Absent: the tenant takes no appointments. */
  booking: BookingSettingsSchema.optional(),
  channels: z.partialRecord(MessagingChannelSchema, ChannelDocumentSchema).default({}),
  /** Absent: the built-in CRM (leads in PostgreSQL only), default qualification rules. */
  crm: CrmDocumentSchema.optional(),
  /** The accounts of the external calendars staff members' `calendar` name. */
  calendars: CalendarAccountsSchema.optional(),
})
  .strict()
  .superRefine((config, context) => {
    const issue = (path: PropertyKey[], message: string) => context.addIssue({ code: 'custom', path, message });
    const serviceIds = new Set(config.services.map((service) => service.id));
    if (serviceIds.size < config.services.length) issue(['services'], 'service ids must be unique');
    if (new Set(config.staff.map((member) => member.id)).size < config.staff.length) issue(['staff'], 'staff ids must be unique');
    config.staff.forEach((member, i) => {
      if (member.calendar && !config.calendars?.[member.calendar.provider]) {
        issue(['staff', i, 'calendar', 'provider'], `no "${member.calendar.provider}" account in calendars`);
      }
    });
    config.staff.forEach((member, i) =>
      member.serviceIds.forEach((serviceId, j) => {
        if (!serviceIds.has(serviceId)) issue(['staff', i, 'serviceIds', j], `no service "${serviceId}" in services`);
      }),
    );
  });
export type TenantConfig = z.infer<typeof TenantConfigSchema>;

/** What a secret reads as in an answer, and what a PUT may send back to keep the stored one. */
export const MASKED = '***';

/** Channel fields that say where and who, not how to get in: shown as they are. Any other field is a secret. */
const VISIBLE_CHANNEL_FIELDS = new Set(['apiBase', 'apiUrl', 'instance', 'phoneNumberId', 'appName', 'source', 'botId', 'clientId', 'quietPeriodMs', 'reminderTemplate']);

function crmSecretFields(crm: { provider?: unknown }): string[] {
  // A Bitrix24 inbound webhook's URL carries its secret.
  return crm.provider === 'bitrix24' ? ['token', 'webhookSecret', 'baseUrl'] : ['token', 'webhookSecret'];
}

/** Calendar account fields that let one in: the Google client's secret and grant, the Bitrix24 webhook URL. */
const CALENDAR_SECRET_FIELDS: { [Provider in keyof CalendarAccounts]-?: string[] } = {
  google: ['clientSecret', 'refreshToken'],
  bitrix24: ['webhookUrl'],
};
const calendarProviders = (accounts: CalendarAccounts) => (Object.keys(CALENDAR_SECRET_FIELDS) as (keyof CalendarAccounts)[]).filter((provider) => accounts[provider]);

const channelSecretFields = (document: Record<string, unknown>) => Object.keys(document).filter((field) => !VISIBLE_CHANNEL_FIELDS.has(field));

/** The document as an answer may show it: every channel secret and CRM credential replaced by MASKED. */
export function maskSecrets(config: TenantConfig): TenantConfig {
  const channels = Object.fromEntries(
    Object.entries(config.channels).map(([channel, document]) => [
      channel,
      { ...document, ...Object.fromEntries(channelSecretFields(document).map((field) => [field, MASKED])) },
    ]),
  );
  const crm = config.crm && {
    ...config.crm,
    ...Object.fromEntries(crmSecretFields(config.crm).filter((field) => field in config.crm!).map((field) => [field, MASKED])),
  };
  const calendars = config.calendars && {
    ...config.calendars,
    ...Object.fromEntries(
      calendarProviders(config.calendars).map((provider) => [
        provider,
        { ...config.calendars![provider], ...Object.fromEntries(CALENDAR_SECRET_FIELDS[provider].map((field) => [field, MASKED])) },
      ]),
    ),
  };
  return { ...config, channels, ...(crm ? { crm } : {}), ...(calendars ? { calendars } : {}) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A PUT body with the stored secrets put back where it left them out or sent MASKED, so a
 * GET → edit → PUT round trip keeps them. Only for channels the tenant has and a CRM of the same
 * provider; the result is validated as any body is.
 */
export function withStoredSecrets(body: unknown, stored: TenantConfig): unknown {
  if (!isObject(body)) return body;
  const keep = (sent: unknown, saved: Record<string, unknown>, fields: string[]) => {
    if (!isObject(sent)) return sent;
    const kept = fields.filter((field) => (sent[field] === undefined || sent[field] === MASKED) && saved[field] !== undefined);
    return { ...sent, ...Object.fromEntries(kept.map((field) => [field, saved[field]])) };
  };
  const result: Record<string, unknown> = { ...body };
  if (isObject(body.channels)) {
    const sentChannels = body.channels;
    result.channels = {
      ...sentChannels,
      ...Object.fromEntries(
        Object.entries(stored.channels)
          .filter(([channel]) => Object.hasOwn(sentChannels, channel))
          .map(([channel, saved]) => [channel, keep(sentChannels[channel], saved, channelSecretFields(saved))]),
      ),
    };
  }
  if (isObject(body.crm) && stored.crm && body.crm.provider === stored.crm.provider) {
    result.crm = keep(body.crm, stored.crm, crmSecretFields(stored.crm));
  }
  if (isObject(body.calendars) && stored.calendars) {
    const sent = body.calendars;
    const saved = stored.calendars;
    result.calendars = {
      ...sent,
      ...Object.fromEntries(
        calendarProviders(saved)
          .filter((provider) => Object.hasOwn(sent, provider))
          .map((provider) => [provider, keep(sent[provider], saved[provider]!, CALENDAR_SECRET_FIELDS[provider])]),
      ),
    };
  }
  return result;
}
