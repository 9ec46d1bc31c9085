// Shared set-up for the browser tests: dist/ served under a sub-path on a free port, as a static
// host would, and Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { launchOptions } from './browser.mjs';

export const BASE = '/kafka-delivery/';
/// The live app: until it starts, the page shows a prerendered picture of its default view
/// (build/prerender.mjs) with the same classes.
export const LIVE = '#root > .app';

export async function start() {
  const server = await serve('dist', 0, BASE);
  const url = `http://127.0.0.1:${server.address().port}${BASE}`;
  const browser = await chromium.launch(launchOptions());
  return {
    url,
    browser,
    async page(query = '', options = {}) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.errors = errors;
      await page.goto(url + query);
      await page.waitForSelector(`${LIVE} .lane .strip, ${LIVE} .lane .cannot-run`);
      return page;
    },
    async stop() {
      await browser.close();
      server.close();
    },
  };
}

/// The partition log of each lane shown, as the page states it (lane index → "A,B,C").
export async function logs(page) {
  return page.$$eval('.lane', (lanes) =>
    Object.fromEntries(lanes.map((l) => [l.dataset.lane, l.querySelector('.strip')?.dataset.log ?? null])),
  );
}

/// The visible text of each lane's log strip, e.g. "A B B C" (what a reader sees).
export async function logText(page, lane) {
  return page.$eval(`.lane[data-lane="${lane}"] .strip`, (s) =>
    [...s.querySelectorAll('.rec .name')].map((n) => n.textContent.replace(' ⚠', '').trim()).join(' '),
  );
}

/// Runs Break it on all three lanes and waits until every lane has its results.
export async function breakAllLanes(page) {
  await page.click('.break .break-buttons .primary');
  await page.waitForFunction(() => document.querySelectorAll('.break-lane').length === 3 && !document.querySelector('.break .primary').disabled);
}

/// Clicks the step bar's "Step forward" `n` times.
export async function forward(page, n) {
  for (let i = 0; i < n; i++) await page.click('button[aria-label="Step forward"]');
}
