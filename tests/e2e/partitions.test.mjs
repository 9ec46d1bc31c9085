// Topics of several partitions and keyed records run in the engine and its CLI; the pages run
// one partition of 100-byte records (their bundles' size ceilings: README, "Size"). What a
// reader meets instead is a message naming the CLI, and nothing of the view is lost.
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

test('importing a keyed scenario of three partitions names the CLI and keeps the view', async () => {
  const page = await app.page('?lang=en');
  const before = await logs(page);
  await page.click('.share summary');
  await page.fill('#import-text', readFileSync('scenarios/keys-land-on-murmur2-partitions.json', 'utf8'));
  await page.click('.share button:has-text("Import scenario")');
  await page.waitForSelector('.banner');
  assert.match(await page.textContent('.banner'), /`messages\[0\]` gives a key or a size: .*delivery-sim run/);
  // Partitions alone, without keys: the topic is named.
  await page.fill('#import-text', readFileSync('scenarios/unkeyed-records-stick-to-one-partition.json', 'utf8'));
  await page.click('.share button:has-text("Import scenario")');
  await page.waitForFunction(() => /topic\.partitions` is 3/.test(document.querySelector('.banner')?.textContent ?? ''));
  assert.deepEqual(await logs(page), before, 'nothing lost');
  assert.deepEqual(page.errors, []);
});

test('a hand-edited link with partitions or keys names what it leaves out; the embed page hands it to the app', async () => {
  const page = await app.page('?parts=3&keys=k1,k2&lang=en');
  await page.waitForSelector('.banner');
  const banner = await page.textContent('.banner');
  assert.match(banner, /parts=3.*one partition/s);
  assert.match(banner, /keys=k1,k2/);
  assert.equal((await logs(page))[2], 'A,B,C', 'the rest of the view runs');
  // The embed page's engine runs even less: such a link opens in the app's embed view, which
  // says the same.
  const embed = await app.page('embed/?parts=3&lanes=1&lang=en');
  assert.equal(new URL(embed.url()).pathname, '/kafka-delivery/');
  assert.match(embed.url(), /[?&]embed(&|$)/);
  await embed.waitForSelector('.banner');
  assert.match(await embed.textContent('.banner'), /one partition/);
  // A producer key the embed page's engine does not model opens in the app too, which runs it
  // (a real Kafka key, not modelled: a note) or names it (a typo, with a suggestion).
  const typo = await app.page('embed/?l1=ack:1&lanes=1&lang=en');
  assert.equal(new URL(typo.url()).pathname, '/kafka-delivery/');
  await typo.waitForSelector('.banner');
  assert.match(await typo.textContent('.banner'), /did you mean `acks`\?/);
  assert.deepEqual(page.errors.concat(embed.errors, typo.errors), []);
});
