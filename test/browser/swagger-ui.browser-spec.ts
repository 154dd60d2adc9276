import type { INestApplication } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { createTestApp, TEST_API_KEY } from '../support/test-app.js';
import { CHROMIUM, describeInBrowser, hasChromium, launchChromium } from '../support/chromium.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const SCREENSHOT = join(ARTIFACTS, 'swagger-send-sms.png');
const FAILURE_SCREENSHOT = join(ARTIFACTS, 'swagger-send-sms-failure.png');
const WAIT_MS = 15_000;

const isCi = process.env.CI === 'true';
if (!hasChromium && !isCi) {
  console.log(
    `${CHROMIUM} is missing: skipping the Swagger UI browser suite (apt-get install chromium to run it).`,
  );
}

describeInBrowser('Swagger UI in headless Chromium (browser)', () => {
  let app: INestApplication | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    browser = await launchChromium();
    page = await browser.newPage({
      baseURL: `http://127.0.0.1:${port}`,
      viewport: { width: 1280, height: 900 },
    });
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
  }, 30_000);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  }, 30_000);

  it('authorizes with an API key, runs "Try it out" on send_sms and shows the 201 sandbox answer', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const operation = page.locator('#operations-SMS_tools-send_sms');
    try {
      await page.goto('/docs');
      await operation.waitFor();

      await page.locator('.auth-wrapper button.authorize').click();
      const apiKeyScheme = page.locator('.modal-ux .auth-container', { hasText: 'api-key' });
      await apiKeyScheme.locator('input').fill(TEST_API_KEY);
      // Swagger UI labels its Authorize and Logout buttons for screen readers.
      await apiKeyScheme.getByRole('button', { name: 'Apply credentials' }).click();
      await apiKeyScheme.getByRole('button', { name: 'Remove authorization' }).waitFor();
      await page.locator('.modal-ux button.close-modal').click();

      await operation.locator('.opblock-summary').first().click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      await operation
        .locator('textarea.body-param__text')
        .fill(
          JSON.stringify({ phone_number: '+15551234567', message: 'Hello from the browser test' }),
        );
      await operation.getByRole('button', { name: 'Execute' }).click();

      const response = operation.locator('.live-responses-table tr.response');
      await response.waitFor();
      await response.scrollIntoViewIfNeeded();
      const status = await response.locator('.response-col_status').innerText();
      const body = await response.locator('.response-col_description pre').first().innerText();

      expect(status.trim()).toBe('201');
      expect(JSON.parse(body)).toMatchObject({
        success: true,
        sandbox: true,
        status: 'sent',
        to: '***-***-4567',
      });
      await screenshotFromTo(page, operation, response, SCREENSHOT);
    } catch (error) {
      await page.screenshot({ path: FAILURE_SCREENSHOT, fullPage: true }).catch(() => undefined);
      throw error;
    }
  }, 30_000);
});

/**
 * The page from the top of `first` to the bottom of `last`: the request and the live answer,
 * without the documented responses that follow them.
 */
async function screenshotFromTo(page: Page, first: Locator, last: Locator, path: string) {
  const top = await first.boundingBox();
  const bottom = await last.boundingBox();
  if (!top || !bottom) throw new Error('nothing to screenshot: an element is not visible');
  const scrollY = await page.evaluate<number>('window.scrollY');
  await page.screenshot({
    path,
    fullPage: true,
    clip: {
      x: top.x,
      y: top.y + scrollY,
      width: top.width,
      height: bottom.y + bottom.height - top.y,
    },
  });
}
