import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startBuiltApp, type BuiltApp } from '../support/built-app.js';
import { describeInBrowser, launchChromium } from '../support/chromium.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const FAILURE_SCREENSHOT = join(ARTIFACTS, 'first-hour-failure.png');
const WAIT_MS = 15_000;
const TOOLS = [
  'send_sms',
  'send_copay_card',
  'send_prescription_reminder',
  'send_prior_auth_update',
  'send_appointment_confirmation',
];

/**
 * A newcomer's first hour: `npm start` with nothing configured (the built app, no API_KEYS, the
 * default limits), the key it prints, Swagger UI, and "Try it out" on every tool as it comes.
 */
describeInBrowser('a fresh sandbox in Swagger UI, as a newcomer meets it (browser)', () => {
  let app: BuiltApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    app = startBuiltApp({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    [, key] = await app.waitFor(/Development API key: (dev_[A-Za-z0-9_-]{32})/);
    const [, url] = await app.waitFor(/"url":"(http:\/\/localhost:\d+)"/);
    browser = await launchChromium();
    page = await browser.newPage({
      baseURL: url.replace('localhost', '127.0.0.1'),
      viewport: { width: 1280, height: 900 },
    });
    page.setDefaultTimeout(WAIT_MS);
  }, 60_000);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await app?.stop();
    }
  }, 30_000);

  it('shows the tools first, authorizes with the printed key, and answers 201 to every tool tried twice', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      await page.goto('/docs');
      await page.locator('.opblock-tag-section').first().waitFor();
      const tags = await page.locator('.opblock-tag-section h3 .nostyle span').allInnerTexts();
      expect(tags.slice(0, 4)).toEqual(['SMS tools', 'Messages', 'Preview', 'Sandbox']);

      await page.locator('.auth-wrapper button.authorize').click();
      const apiKeyScheme = page.locator('.modal-ux .auth-container', { hasText: 'api-key' });
      await apiKeyScheme.locator('input').fill(key);
      await apiKeyScheme.getByRole('button', { name: 'Apply credentials' }).click();
      await apiKeyScheme.getByRole('button', { name: 'Remove authorization' }).waitFor();
      await page.locator('.modal-ux button.close-modal').click();

      const statuses: string[] = [];
      for (const tool of TOOLS) {
        const operation = page.locator(`#operations-SMS_tools-${tool}`);
        await operation.locator('.opblock-summary').first().click();
        await operation.getByRole('button', { name: 'Try it out' }).click();
        for (let attempt = 1; attempt <= 2; attempt++) {
          const [answer] = await Promise.all([
            page.waitForResponse(
              (r) => r.url().includes('/api/sms/') && r.request().method() === 'POST',
            ),
            operation.getByRole('button', { name: 'Execute' }).click(),
          ]);
          // The answer Swagger UI shows under the operation.
          const shown = operation.locator('.live-responses-table tr.response .response-col_status');
          await shown.waitFor();
          statuses.push(`${tool} ${answer.status()} ${(await shown.innerText()).trim()}`);
        }
      }
      expect(statuses).toEqual(TOOLS.flatMap((t) => [`${t} 201 201`, `${t} 201 201`]));
    } catch (error) {
      await page.screenshot({ path: FAILURE_SCREENSHOT, fullPage: true }).catch(() => undefined);
      throw error;
    }
  }, 90_000);
});
