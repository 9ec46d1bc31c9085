// Topics of several partitions and keyed or sized messages run in the engine and its CLI; the
// pages run one partition of 100-byte records (their bundles' size ceilings: README, "Size and speed").
// What a reader meets instead is a message naming what was left out, and nothing of the view
// is lost.
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

test('importing a scenario with a topic or a keyed message names what the page leaves out and keeps the view', async () => {
  const page = await app.page('workshop/?lang=en');
  const before = await logs(page);
  await page.click('.share-menu > summary');
  // The CLI's golden: its topic is named first.
  await page.fill('#import-text', readFileSync('scenarios/keys-land-on-murmur2-partitions.json', 'utf8'));
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForSelector('.banner');
  assert.match(await page.textContent('.banner'), /unknown field `topic`/);
  // A keyed message alone.
  await page.fill('#import-text', '{"messages": ["A", {"name": "B", "key": "k1"}]}');
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForFunction(() =>
    /`messages\[1\]` must be a string, not an object/.test(document.querySelector('.banner')?.textContent ?? ''),
  );
  assert.deepEqual(await logs(page), before, 'nothing lost');
  assert.deepEqual(page.errors, []);
});

test('a link with partitions or keys names them as unknown and runs the rest, on the app and the embed page', async () => {
  for (const path of ['', 'embed/']) {
    const page = await app.page(`${path}?parts=3&keys=k1,k2&lanes=2&lang=en`);
    await page.waitForSelector('.banner');
    const banner = await page.textContent('.banner');
    assert.match(banner, /unknown parameter `parts`/, path);
    assert.match(banner, /unknown parameter `keys`/, path);
    assert.equal((await logs(page))[2], 'A,B,C', 'the rest of the view runs');
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});
