import demoDocument from '../../tenants/demo.json';
import { MASKED, maskSecrets, TenantConfigSchema, withStoredSecrets } from '../../src/domain/tenant-config';

const stored = TenantConfigSchema.parse({
  ...demoDocument,
  id: 'clinica-norte',
  channels: {
    whatsapp: { accessToken: 'EAAG-secret', phoneNumberId: '1234567890', appSecret: 'app-secret', verifyToken: 'verify-me', reminderTemplate: { name: 'reminder', language: 'es' } },
    bitrix24: { restUrl: 'https://norte.bitrix24.es/rest/1/s3cr3tc0de/', applicationToken: 'app-token', botId: '17' },
  },
  crm: { provider: 'bitrix24', baseUrl: 'https://norte.bitrix24.es/rest/1/crmc0de/' },
});

describe('a tenant document', () => {
  test('tenants/demo.json is one, and needs no channels or CRM (the demo takes those from env)', () => {
    const demo = TenantConfigSchema.parse(demoDocument);
    expect(demo).toMatchObject({ id: 'demo', channels: {}, staff: [{ id: 'ana' }, { id: 'bruno' }] });
    expect(demo.crm).toBeUndefined();
  });

  test('answers show where a channel points but no credential; a Bitrix24 URL, which carries its code, is masked too', () => {
    const shown = maskSecrets(stored);
    expect(shown.channels).toEqual({
      whatsapp: { accessToken: MASKED, phoneNumberId: '1234567890', appSecret: MASKED, verifyToken: MASKED, reminderTemplate: { name: 'reminder', language: 'es' } },
      bitrix24: { restUrl: MASKED, applicationToken: MASKED, botId: '17' },
    });
    expect(shown.crm).toMatchObject({ provider: 'bitrix24', baseUrl: MASKED });
    expect(JSON.stringify(shown)).not.toMatch(/secret|c0de|EAAG|verify-me|app-token/);
  });

  test('a PUT body gets back the secrets it masked or left out, for the channels and CRM it keeps', () => {
    const body = JSON.parse(JSON.stringify(maskSecrets(stored)));
    delete body.channels.whatsapp.verifyToken;
    body.channels.bitrix24.applicationToken = 'new-app-token';
    expect(TenantConfigSchema.parse(withStoredSecrets(body, stored))).toEqual({
      ...stored,
      channels: { ...stored.channels, bitrix24: { ...stored.channels.bitrix24, applicationToken: 'new-app-token' } },
    });
  });

  test('no stored secret moves to a channel it was not stored for, nor to a CRM of another provider', () => {
    const body = {
      ...JSON.parse(JSON.stringify(maskSecrets(stored))),
      channels: { telegram: { botToken: MASKED, webhookSecret: MASKED } },
      crm: { provider: 'hubspot', token: MASKED },
    };
    const merged = withStoredSecrets(body, stored) as typeof body;
    expect(merged.channels).toEqual({ telegram: { botToken: MASKED, webhookSecret: MASKED } });
    expect(merged.crm).toEqual({ provider: 'hubspot', token: MASKED });
  });

  test('a body that is no object is left for the schema to refuse', () => {
    expect(withStoredSecrets('nonsense', stored)).toBe('nonsense');
    expect(TenantConfigSchema.safeParse(withStoredSecrets([], stored)).success).toBe(false);
  });

  describe('external calendars', () => {
    const withCalendars = TenantConfigSchema.parse({
      ...demoDocument,
      id: 'clinica-norte',
      calendars: {
        google: { clientId: 'client.apps.googleusercontent.com', clientSecret: 'GOCSPX-s3cr3t', refreshToken: '1//refresh-s3cr3t', meet: true },
        bitrix24: { webhookUrl: 'https://norte.bitrix24.es/rest/1/calc0de/' },
      },
      staff: demoDocument.staff.map((member, i) => (i === 0 ? { ...member, calendar: { provider: 'google', calendarId: 'ana@norte.example' } } : member)),
    });

    test('answers show the Google client and whether Meet is on, never its secret, grant or a Bitrix24 webhook URL', () => {
      const shown = maskSecrets(withCalendars);
      expect(shown.calendars).toEqual({
        google: { clientId: 'client.apps.googleusercontent.com', clientSecret: MASKED, refreshToken: MASKED, meet: true },
        bitrix24: { webhookUrl: MASKED },
      });
      expect(JSON.stringify(shown)).not.toMatch(/s3cr3t|calc0de/);
    });

    test('a PUT of the masked document keeps the stored calendar secrets', () => {
      const body = JSON.parse(JSON.stringify(maskSecrets(withCalendars)));
      expect(TenantConfigSchema.parse(withStoredSecrets(body, withCalendars))).toEqual(withCalendars);
    });

    test('a staff member may name only a calendar provider the tenant has an account with', () => {
      const result = TenantConfigSchema.safeParse({ ...withCalendars, calendars: undefined });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ path: ['staff', 0, 'calendar', 'provider'], message: 'no "google" account in calendars' });
    });
  });
});

