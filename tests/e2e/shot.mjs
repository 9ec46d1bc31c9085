// Screenshots of the built app for a person to look at: node tests/e2e/shot.mjs [url] [out-dir]
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { serve } from './serve.mjs';
import { launchOptions } from './browser.mjs';

const [url0, out = 'tests/e2e/artifacts'] = process.argv.slice(2);
await mkdir(out, { recursive: true });
let server;
let url = url0;
if (!url) {
  server = await serve('dist', 8391, '/kafka-delivery/');
  url = 'http://127.0.0.1:8391/kafka-delivery/';
}
const browser = await chromium.launch(launchOptions());
for (const [name, width, scheme] of [['wide-light', 1280, 'light'], ['wide-dark', 1280, 'dark'], ['narrow-light', 375, 'light'], ['narrow-dark', 375, 'dark']]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(url);
  await page.waitForSelector('#root > .app .lane .strip');
  // The whole page in the viewport: parts far below the fold are drawn only as a reader nears
  // them (content-visibility), so a plain full-page capture shows them blank.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width, height });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  await page.close();
}
// The workshop page: an exercise checked, and the price chart open.
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${url}workshop/?ex=06-keep-order-with-5-in-flight&lang=en`);
await page.waitForSelector('.exercise h2');
await page.click('.exercise .check');
await page.click('.exercise .hint > summary');
await page.locator('.exercise').scrollIntoViewIfNeeded();
await page.screenshot({ path: `${out}/workshop.png` });
await page.click('.price > summary');
await page.waitForSelector('.price-chart');
await page.locator('.price').screenshot({ path: `${out}/price.png` });
await browser.close();
server?.close();
console.log(`screenshots in ${out}`);
