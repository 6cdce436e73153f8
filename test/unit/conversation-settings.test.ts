import { settingsFor } from '../../src/domain/conversation-settings';

const defaults = { idleTimeoutMs: 1_800_000, maxMessages: 50, foldBatch: 10, historyEventCap: 5_000, handoffTimeoutMs: 7_200_000 };

describe('the burst quiet period', () => {
  test("is the channel's default unless the tenant sets one, and the tenant's channel setting beats both", () => {
    expect(settingsFor('whatsapp', { channelDefault: 5_000 }, defaults).quietPeriodMs).toBe(5_000);
    expect(settingsFor('whatsapp', { channelDefault: 5_000, tenantSetting: null }, defaults).quietPeriodMs).toBe(5_000);
    expect(settingsFor('whatsapp', { channelDefault: 5_000, tenantSetting: 2_000 }, defaults).quietPeriodMs).toBe(2_000);
    expect(settingsFor('whatsapp', { channelDefault: 5_000, tenantSetting: 2_000, channelSetting: 0 }, defaults).quietPeriodMs).toBe(0);
  });

  test('is none on the web chat, which waits for each answer', () => {
    expect(settingsFor('web', { channelDefault: 0, tenantSetting: 3_000, channelSetting: 3_000 }, defaults).quietPeriodMs).toBe(0);
  });
});
