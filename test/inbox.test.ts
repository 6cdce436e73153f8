import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { saveLeadDetails } from '../src/db/leads';
import { createTenantToken } from '../src/db/tenant-tokens';
import { policy, seedBookingTenant, ZONE } from './helpers/booking-fixtures';
import { FakeTelegram } from './helpers/fake-telegram';
import { launchBrowser, screenshot, watchedPhonePage } from './helpers/browser';
import { startTestStack, type TestStack } from './helpers/stack';
import { customerWrites, seedTelegramTenant, sentTo } from './helpers/telegram-tenant';
import { waitFor } from './helpers/wait-for';

/**
 * The staff inbox in a real browser (Debian's Chromium, driven by playwright-core), on a
 * phone-sized screen: what a receptionist does when a customer asks for a person on Telegram.
 * Screenshots go to test-artifacts/.
 */
const CLINIC = 'inbox-clinic';
const BRUNO = 930000001; // asks for a person
const ANA = 930000002; // writes later: the newest, yet listed after Bruno
const conversationOf = (chatId: number) => `conversation:${CLINIC}:telegram:${chatId}`;

let telegram: FakeTelegram;
let stack: TestStack;
let browser: Browser;
let token: string;
beforeAll(async () => {
  telegram = await new FakeTelegram().start();
  stack = await startTestStack();
  await seedBookingTenant(stack.db.pool, CLINIC, policy(), [{ id: 'eva', serviceIds: ['limpieza-facial'] }]);
  await seedTelegramTenant(stack, CLINIC, telegram);
  token = await createTenantToken(stack.db.pool, CLINIC, 'front desk');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await telegram?.stop();
});

/** The browser is in Madrid, the clinic elsewhere: times must be the clinic's. */
const phonePage = () => watchedPhonePage(browser, { locale: 'en-US', timezoneId: 'Europe/Madrid' });

const bubbles = (page: Page, role: string) => page.locator(`#transcript .msg--${role}:not(.msg--pending) p`).allTextContents();
/** How the clinic's clock shows an instant, as the page formats it (the browser is in Madrid). */
const clinicTime = (iso: string) => DateTime.fromISO(iso).setZone(ZONE).setLocale('en-US').toFormat('hh:mm a');

test('/inbox is served with strict security headers and cannot be framed', async () => {
  const page = await stack.request('GET', '/inbox');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  const csp = page.headers['content-security-policy']!.split(';').map((directive) => directive.trim());
  expect(csp).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]));
  expect(page.body).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/); // nothing inline
  expect((await stack.request('GET', '/inbox/inbox.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
});

test('staff sign in, see the customer who asked for a person first, reply on Telegram, and hand back to the assistant', async () => {
  await customerWrites(stack, CLINIC, BRUNO, 'Hola, quiero hablar con una persona por favor');
  await waitFor('Bruno told a person will answer', () => sentTo(telegram, BRUNO).length === 1);
  await customerWrites(stack, CLINIC, ANA, 'Hola');
  await waitFor('Ana answered', () => sentTo(telegram, ANA).length === 1);
  const start = DateTime.now().setZone(ZONE).plus({ days: 3 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
  await stack.db.pool.query(
    `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, status, starts_at, ends_at, blocked, idempotency_key)
     VALUES ($1, 'eva', 'limpieza-facial', 'telegram', $2, 'confirmed', $3, $4, tstzrange($3, $4), gen_random_uuid()::text)`,
    [CLINIC, String(BRUNO), start.toJSDate(), start.plus({ minutes: 60 }).toJSDate()],
  );
  const ref = { tenantId: CLINIC, channel: 'telegram' as const, contactId: String(BRUNO) };
  await saveLeadDetails(stack.db.pool, ref, { name: 'Bruno Díaz', phone: '+5491155551234' }, { actor: 'staff', conversationId: conversationOf(BRUNO) });
  // Both conversations listed, Bruno's as waiting (visibility takes a moment).
  await waitFor('the list', async () => {
    const listed = (await stack.request('GET', '/admin/conversations', undefined, { authorization: `Bearer ${token}` })).body.conversations;
    return listed?.length === 2 && listed.some((conversation: any) => conversation.id === conversationOf(BRUNO) && conversation.status === 'handoff');
  });

  const { context, page, problems } = await phonePage();
  try {
    await page.goto(`${stack.baseUrl}/inbox`);
    await page.getByLabel('Access token').fill('not-a-token-of-anyone-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token was not accepted.').waitFor();

    await page.getByLabel('Access token').fill(token);
    await page.getByLabel('Your name').fill('Marta');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.conversation-item').nth(1).waitFor();
    const rows = page.locator('.conversation-item');
    expect(await rows.evaluateAll((buttons) => buttons.map((button) => (button as any).dataset.id))).toEqual([conversationOf(BRUNO), conversationOf(ANA)]);
    expect(await rows.first().locator('.badge').textContent()).toBe('Needs a person');
    expect(await rows.first().locator('.who').textContent()).toBe('Bruno Díaz'); // his lead's name
    expect(await page.locator('#waiting-count').textContent()).toBe('1 waiting');
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('concierge-inbox:token'))).toBe(token);
    await screenshot(page, 'inbox-1-list');

    await rows.first().click();
    await page.locator('#transcript .msg--assistant').waitFor();
    expect(await bubbles(page, 'customer')).toEqual(['Hola, quiero hablar con una persona por favor']);
    expect(await bubbles(page, 'assistant')).toEqual(sentTo(telegram, BRUNO));
    expect(await page.locator('#handoff-banner').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Take over' }).isVisible()).toBe(false);
    // Times as the clinic's clock shows them, whatever the browser's zone.
    const detail = (await stack.request('GET', `/admin/conversations/${encodeURIComponent(conversationOf(BRUNO))}`, undefined, { authorization: `Bearer ${token}` })).body;
    expect(await page.locator('#transcript .msg--customer .msg-meta').textContent()).toContain(clinicTime(detail.transcript[0].at));
    expect(await page.locator('#conversation-meta').textContent()).toContain('America/Argentina/Buenos_Aires');
    // The customer beside the conversation: their lead and their booking, in the clinic's time.
    await page.getByText('Customer', { exact: true }).click(); // folded on a phone
    expect(await page.locator('#lead').textContent()).toContain('Bruno Díaz');
    expect(await page.locator('#bookings').textContent()).toBe(`Limpieza facial profunda · ${start.setLocale('en-US').toFormat('MMM d')}, ${start.setLocale('en-US').toFormat('hh:mm a')} · confirmed`);
    await screenshot(page, 'inbox-2-conversation');
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390); // nothing wider than the phone

    const reply = 'Hola Bruno, soy Marta. Te llamo en cinco minutos.';
    await page.getByLabel('Reply').fill(reply);
    await page.getByRole('button', { name: 'Send' }).click();
    await waitFor('the reply on Telegram', () => sentTo(telegram, BRUNO).includes(reply));
    expect(telegram.sent.filter((sent) => sent.text === reply)).toEqual([{ token: `${CLINIC}-BOT-TOKEN`, chat_id: BRUNO, text: reply }]);
    await page.locator('#transcript .msg--staff:not(.msg--pending)').waitFor();
    expect(await bubbles(page, 'staff')).toEqual([reply]);
    expect(await page.locator('#transcript .msg--staff .msg-meta').textContent()).toMatch(/^Marta · /);
    await screenshot(page, 'inbox-3-replied');

    await page.getByRole('button', { name: 'Hand back to the assistant' }).click();
    await page.getByRole('button', { name: 'Take over' }).waitFor(); // the page follows the conversation
    expect(await page.locator('#handoff-banner').isVisible()).toBe(false);
    await customerWrites(stack, CLINIC, BRUNO, 'Gracias. ¿Dónde están?');
    await waitFor('the assistant answering Bruno again', () => sentTo(telegram, BRUNO).length === 3);
    await page.locator('#transcript .msg--assistant').nth(1).waitFor(); // polled in
    await page.getByRole('button', { name: 'Back' }).click();
    await page.locator('.conversation-item .badge', { hasText: 'Needs a person' }).waitFor({ state: 'detached' });
    expect(await page.locator('#waiting-count').isVisible()).toBe(false);
    await screenshot(page, 'inbox-4-handed-back');
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);

test('on a desktop screen the list, the conversation and the customer sit side by side; staff take a conversation over', async () => {
  const context = await browser.newContext({ locale: 'es-AR', viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/inbox`);
    await page.getByLabel('Token de acceso').fill(token);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.locator(`.conversation-item[data-id="${conversationOf(ANA)}"]`).click();
    await page.locator('#transcript .msg--assistant').waitFor();
    const boxes = await Promise.all(['.list-pane', '#conversation', '#customer'].map((selector) => page.locator(selector).boundingBox()));
    expect(boxes.map((box) => box!.y)).toEqual([boxes[0]!.y, boxes[0]!.y, boxes[0]!.y]);
    expect(boxes[0]!.x).toBeLessThan(boxes[1]!.x);
    expect(boxes[1]!.x).toBeLessThan(boxes[2]!.x);
    await screenshot(page, 'inbox-5-desktop');

    // Ana talks to the assistant until staff take her conversation: then it waits for them.
    await page.getByRole('button', { name: 'Tomar la conversación' }).click();
    await page.getByRole('button', { name: 'Devolver al asistente' }).waitFor();
    expect(await page.locator('#handoff-banner').textContent()).toMatch(/^Esperando a una persona desde .*: tomada por el equipo$/);
    await page.locator(`.conversation-item[data-id="${conversationOf(ANA)}"] .badge`, { hasText: 'Necesita una persona' }).waitFor();
    await customerWrites(stack, CLINIC, ANA, '¿Hola?');
    await page.locator('#transcript .msg--customer', { hasText: '¿Hola?' }).waitFor();
    expect(sentTo(telegram, ANA)).toHaveLength(1); // the assistant stays silent: staff have it
    await screenshot(page, 'inbox-6-desktop-taken-over');
  } finally {
    await context.close();
  }
});
