// Transactions run in the engine and its CLI (`transactional.id`, a scenario's `transactions`);
// the pages' engine is built without them (their bundles' size ceilings: README, "Size and
// speed"). What a reader meets instead is a message naming where they run, and nothing of the
// view is lost; a scenario whose producer has a `transactional.id` loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, logs } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

test('importing a scenario with transactions says they run in the CLI and keeps the view', async () => {
  const page = await app.page('?lang=en');
  const before = await logs(page);
  await page.click('.share summary');
  await page.fill('#import-text', readFileSync('scenarios/txn-commit-then-abort.json', 'utf8'));
  await page.click('.share button:has-text("Import scenario")');
  await page.waitForSelector('.banner');
  assert.match(await page.textContent('.banner'), /`transactions` run in the CLI \(`delivery-sim run`\)/);
  assert.deepEqual(await logs(page), before, 'nothing lost');
  await page.click('.banner button');
  await page.waitForSelector('.banner', { state: 'detached' });

  // The producer key alone is a real Kafka key: the scenario loads and runs.
  await page.fill('#import-text', '{"messages": ["A", "B"], "sync": true, "producer": {"transactional.id": "tx-1"}}');
  await page.click('.share button:has-text("Import scenario")');
  await page.waitForFunction(() => {
    const strips = [...document.querySelectorAll('.lane .strip')];
    return strips.length > 0 && strips.every((s) => s.dataset.log === 'A,B');
  });
  assert.ok(Object.values(await logs(page)).every((l) => l === 'A,B'));
  // The page's lanes keep their own settings (it says so); nothing about the key is an error.
  const banner = await page.textContent('.banner');
  assert.match(banner, /producer settings are not used/);
  assert.doesNotMatch(banner, /transactional/);
  assert.deepEqual(page.errors, []);
});
