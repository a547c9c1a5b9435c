import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/paths';

/** Debian's Chromium (never a browser downloaded by a test tool). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTEFACTS = path.join(PROJECT_ROOT, 'artefacts');

/** `describe` when Chromium is there; otherwise says once, plainly, why the tests are skipped. */
export function describeWithChromium(name: string, body: () => void): void {
  if (!fs.existsSync(CHROMIUM)) {
    console.warn(`${name}: skipped, no Chromium at ${CHROMIUM} (install it with "apt-get install chromium", or set CHROMIUM_PATH).`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

/** Headless, and no background networking: this machine's network is closed. */
export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A back-office page signed in with a one-time login `code`, in a French context of its own:
 * page errors and any browser dialog (dismissed) are pushed to `errors`, for the test to expect none.
 */
export async function signedInAdminPage(browser: Browser, baseUrl: string, code: string, errors: string[], options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.goto(`${baseUrl}/admin/#code=${code}`);
  return { context, page };
}

/** Types `text` in Web Chat's send box, sends it, and waits for the assistant's next reply. */
export function sayInWebChat(page: Page): (text: string) => Promise<void> {
  const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
  const bubbles = '#webchat .webchat__bubble:not(.webchat__bubble--from-user)';
  return async (text: string) => {
    const replies = await page.locator(bubbles).count();
    await box.fill(text);
    await box.press('Enter');
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length > (n as number), [bubbles, replies] as const, { timeout: 15000 });
  };
}

/**
 * A browser test's teardown, in order — the browser, the assistant, then what it talked to (a
 * webhook receiver, the database) —, skipping what a failed setup never started.
 */
export async function closeAll(...parts: ({ close(): Promise<unknown> } | { stop(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const part of parts) if (part) await ('close' in part ? part.close() : part.stop());
}
