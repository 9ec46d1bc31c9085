// Replicas as a reader meets them: the fourth story in both languages, the replicas and the
// high watermark at each step, and the same rules the engine's CLI applies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, logs, forward } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

const replicas = (page, lane) => page.textContent(`.lane[data-lane="${lane}"] .replicas`);
const outline = (page, lane, n) =>
  page.$eval(`.lane[data-lane="${lane}"] .strip > .rec:nth-child(${n})`, (r) => getComputedStyle(r).outlineStyle);

test('the replicas story: acks=all still succeeds with one follower down, is refused with two, and keeps what it acknowledged', async () => {
  const page = await app.page('?lang=en');
  await page.selectOption('#story', '4');
  await page.waitForFunction(() => /Replication factor 3, min\.insync\.replicas 2/.test(document.querySelector('.narration').textContent));
  // The story gives the first lane acks=1, the comparison it makes.
  assert.match(await page.textContent('.lane[data-lane="0"] .config'), /acks=1/);
  assert.match(await page.textContent('.lane[data-lane="1"] .config'), /acks=all/);
  // Step 1: A is stored, not yet on the followers: above the high watermark, read by nobody.
  assert.equal(await outline(page, 1, 1), 'dotted');
  assert.match(await replicas(page, 1), /ISR \{0, 1, 2\}: min\.insync\.replicas 2 met/);
  await forward(page, 2);
  assert.match(await page.textContent('.narration'), /fences follower 1/);
  assert.match(await replicas(page, 1), /ISR \{0, 2\}: min\.insync\.replicas 2 met/);
  assert.equal(await outline(page, 1, 1), 'none', 'A is committed');
  await forward(page, 3);
  assert.match(await page.textContent('.narration'), /NOT_ENOUGH_REPLICAS/);
  assert.match(await replicas(page, 1), /ISR \{0\}: fewer than min\.insync\.replicas 2/);
  assert.equal(await page.locator('.lane[data-lane="1"] .arrow.story').count(), 1);
  assert.equal(await page.locator('.lane.story-lane').getAttribute('data-lane'), '1');
  // The acks=1 lane's step: that lane is outlined, its C highlighted.
  await forward(page, 1);
  assert.match(await page.textContent('.narration'), /acks=1/);
  assert.equal(await page.locator('.lane.story-lane').getAttribute('data-lane'), '0');
  assert.equal(await page.locator('.lane[data-lane="0"] .arrow.story').count(), 1);
  // The election: follower 2 leads, from outside the ISR.
  await forward(page, 2);
  assert.match(await page.textContent('.narration'), /unclean election/);
  assert.match(await replicas(page, 1), /★ 2/);
  assert.match(await page.textContent('.step-no'), /Step 9\/11/);
  // What each lane ends with: acks=1 lost C and D, acks=all failed them and told the app.
  assert.deepEqual(Object.values(await logs(page)), ['A,B', 'A,B', 'A,B']);
  const count = (lane, k) => page.textContent(`.lane[data-lane="${lane}"] dd[data-k="${k}"]`);
  assert.equal(await count(0, 'lost'), '2');
  assert.equal(await count(1, 'lost'), '0');
  assert.equal(await count(1, 'failed'), '2');
  assert.equal(await count(2, 'failed'), '2');
  assert.deepEqual(page.errors, []);
});

test('the replicas story in Korean, from its link', async () => {
  const page = await app.page('?story=4&step=5&lang=ko');
  assert.match(await page.textContent('.narration'), /NOT_ENOUGH_REPLICAS로 거절/);
  assert.match(await replicas(page, 1), /ISR \{0\}: min\.insync\.replicas 2보다 적어 acks=all 쓰기는 거절됨/);
  const heading = await page.$eval('.lane[data-lane="1"] .log h3', (h) => getComputedStyle(h, '::after').content);
  assert.match(heading, /하이 워터마크 2: 컨슈머는 그 아래 레코드만 읽음/);
  assert.match(await page.textContent('#story'), /복제본: acks=all/);
  assert.deepEqual(page.errors, []);
});

test('without replicas no replica row and no high watermark; with them, the strip follows the high watermark as it moves', async () => {
  const plain = await app.page('?lang=en');
  assert.equal(await plain.locator('.replicas').count(), 0);
  const heading = await plain.$eval('.lane[data-lane="1"] .log h3', (h) => getComputedStyle(h, '::after').content);
  assert.equal(heading, 'none');
  // Both followers stop at once and are never back in the run: A, B and C reach the leader
  // (acks=0) and never the high watermark; after the run the followers return and copy them.
  const page = await app.page('?rep=3&isr=2&f=rdown.1.0.600000,rdown.2.0.600000&lang=en&step=8');
  assert.equal(await outline(page, 0, 3), 'dotted');
  assert.match(await page.$eval('.lane[data-lane="0"] .log h3', (h) => getComputedStyle(h, '::after').content), /high watermark 0/);
  await page.click('button[aria-label="To the end"]');
  await page.waitForFunction(() => /high watermark 3/.test(getComputedStyle(document.querySelector('.lane[data-lane="0"] .log h3'), '::after').content));
  assert.equal(await outline(page, 0, 3), 'none');
  assert.deepEqual(page.errors, []);
});
