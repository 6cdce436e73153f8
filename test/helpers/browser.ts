import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Browser tests drive Debian's Chromium with playwright-core (which downloads no browser). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium' });
}

/** Where browser tests leave their screenshots: test-artifacts/, never committed. */
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, '.gitignore'), '*\n');
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A phone-sized page whose script errors and CSP violations (console errors) collect in `problems`. */
export async function watchedPhonePage(browser: Browser, options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Refusals the tests provoke (401) log "Failed to load resource"; a CSP violation says "Refused…".
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  return { context, page, problems };
}
