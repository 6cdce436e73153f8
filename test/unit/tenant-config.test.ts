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
});
