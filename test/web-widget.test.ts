import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { staffMessageSignal } from '../src/workflows';
import { weekdayAhead } from './helpers/booking-fixtures';
import { launchBrowser, screenshot, watchedPhonePage } from './helpers/browser';
import { startTestStack, type TestStack } from './helpers/stack';

/**
 * The chat page and the widget in a real browser (Debian's Chromium, driven by playwright-core):
 * what a customer does, on a phone-sized screen. Screenshots go to test-artifacts/.
 */

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const phonePage = (locale: string) => watchedPhonePage(browser, { locale });

const bubbles = (page: Page, role: string) => page.locator(`#log .msg--${role}:not(.msg--pending) p`).allTextContents();

test('/chat and /chat/widget.js carry strict security headers', async () => {
  const page = await stack.request('GET', '/chat?tenant=demo');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  const csp = page.headers['content-security-policy']!.split(';').map((directive) => directive.trim());
  expect(csp).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", 'frame-ancestors *']));
  expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cross-origin-opener-policy': 'same-origin' });
  const widget = await stack.request('GET', '/chat/widget.js');
  expect(widget.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cross-origin-resource-policy': 'cross-origin' });
});

test('a customer books on /chat, sees a staff message arrive, keeps the conversation across a reload; a forged token gets nothing', async () => {
  const { context, page, problems } = await phonePage('es-AR');
  try {
    await page.goto(`${stack.baseUrl}/chat?tenant=demo`);
    expect(await page.getAttribute('html', 'lang')).toBe('es'); // navigator.language decides
    const day = weekdayAhead(2);
    const request = `Quiero reservar una limpieza facial el ${day.toFormat('d/M')} a las 10`;
    await page.getByLabel('Mensaje').fill(request);
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.locator('#log .msg--assistant').first().waitFor();
    expect((await bubbles(page, 'assistant'))[0]).toMatch(/10:00 está libre para Limpieza facial profunda\. ¿Te lo reservo\?/);
    await page.getByLabel('Mensaje').fill('sí');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.locator('#log .msg--assistant').nth(1).waitFor();
    expect(await bubbles(page, 'customer')).toEqual([request, 'sí']);
    expect((await bubbles(page, 'assistant'))[1]).toMatch(/Te reservé Limpieza facial profunda .*10:00/);
    await screenshot(page, 'chat-1-booked');

    // The session is the page's: its token in localStorage names it.
    const token = await page.evaluate(() => (globalThis as any).localStorage.getItem('concierge-chat:demo') as string | null);
    const sessionId = token!.slice(0, token!.lastIndexOf('.'));
    const { rows } = await stack.db.pool.query("SELECT status, service_id FROM bookings WHERE tenant_id = 'demo' AND channel = 'web' AND contact_id = $1", [sessionId]);
    expect(rows).toEqual([{ status: 'confirmed', service_id: 'limpieza-facial' }]);

    await stack.client.workflow
      .getHandle(`conversation:demo:web:${sessionId}`)
      .signal(staffMessageSignal, { id: 'staff-hello', text: 'Hola, soy Marta del equipo: te esperamos.', author: 'Marta' });
    await page.locator('#log .msg--staff').waitFor({ timeout: 15_000 }); // the page polls every 3 s
    expect(await bubbles(page, 'staff')).toEqual(['Hola, soy Marta del equipo: te esperamos.']);
    expect(await page.locator('#log .msg--staff .msg-meta').textContent()).toMatch(/^Marta · /);
    await screenshot(page, 'chat-2-staff-message');

    await page.reload();
    await page.locator('#log .msg--staff').waitFor();
    expect(await bubbles(page, 'customer')).toEqual([request, 'sí']);
    expect(await bubbles(page, 'assistant')).toHaveLength(2);
    expect(await bubbles(page, 'staff')).toHaveLength(1);
    await screenshot(page, 'chat-3-after-reload');

    // A token for this session with its signature changed: refused, by both routes.
    const forged = `${sessionId}.${'A'.repeat(43)}`;
    const answers = await page.evaluate(async (forgedToken) => {
      const post = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'quiero cancelar mi turno', session_token: forgedToken }),
      });
      const poll = await fetch('/api/chat/messages', { headers: { 'x-session-token': forgedToken } });
      return [post.status, ((await post.json()) as any).error, poll.status, ((await poll.json()) as any).messages];
    }, forged);
    expect(answers).toEqual([401, 'invalid_session_token', 401, undefined]);
    // A page holding that forged token shows nothing of the conversation and starts afresh.
    await page.evaluate((forgedToken) => (globalThis as any).localStorage.setItem('concierge-chat:demo', forgedToken), forged);
    await page.reload();
    await page.getByText('La conversación anterior ya no está disponible').waitFor();
    expect(await page.locator('#log .msg').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('concierge-chat:demo') as string | null)).toBeNull();
    const { rows: after } = await stack.db.pool.query("SELECT status FROM bookings WHERE tenant_id = 'demo' AND contact_id = $1", [sessionId]);
    expect(after).toEqual([{ status: 'confirmed' }]);
    await screenshot(page, 'chat-4-forged-token');
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);

test("widget.js on a business's own site opens the chat in a frame, in English for an English browser", async () => {
  // The business's site: another origin (another port) with the one script tag.
  const site: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><meta name="viewport" content="width=device-width"><title>Clinic</title><h1>Our clinic</h1><script src="${stack.baseUrl}/chat/widget.js" data-tenant="demo" async></script>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const { context, page, problems } = await phonePage('en-US');
  try {
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const launcher = page.locator('button[aria-controls="concierge-chat-frame"]'); // hidden while the chat is open
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const chat = page.frameLocator('#concierge-chat-frame');
    await chat.getByLabel('Message').fill('Hello! How much is a deep facial cleansing?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.locator('#log .msg--assistant').first().waitFor();
    expect(await chat.locator('#log .msg--assistant p').first().textContent()).toMatch(/18[.,]000/);
    await screenshot(page, 'widget-1-open');

    // On a phone the chat takes the whole screen, the button included: the frame's × closes it.
    expect(await page.locator('#concierge-chat-frame').boundingBox()).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await chat.getByRole('button', { name: 'Close' }).click();
    await page.locator('#concierge-chat-frame').waitFor({ state: 'hidden' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.isVisible()).toBe(true);
    await screenshot(page, 'widget-2-closed');
    expect(problems).toEqual([]);
  } finally {
    await context.close();
    await new Promise((resolve) => site.close(resolve));
  }
}, 60_000);
