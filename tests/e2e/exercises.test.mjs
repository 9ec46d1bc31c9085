// Workshop mode as a student meets it: a link straight to an exercise, the check naming what is
// missing, solving it with a click, progress kept across reloads, a reset, and bad links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { start } from './helpers.mjs';

const COUNT = readdirSync('exercises').filter((f) => f.endsWith('.json')).length;

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

const verdict = (page) => page.textContent('.exercise .verdict');

test('a link opens an exercise in its lane; the check says what is missing until it is solved', async () => {
  const page = await app.page('?ex=01-store-b-twice&lang=en');
  await page.waitForSelector('.exercise h2');
  assert.equal(await page.textContent('.exercise h2'), 'Store B twice');
  assert.match(await page.textContent('.exercise .ex-no'), new RegExp(`Exercise 1/${COUNT}`));
  // Only the exercise's lane, with the exercise's start: A, B, C and no fault.
  assert.deepEqual(await page.$$eval('.lane', (l) => l.map((x) => x.dataset.lane)), ['1']);
  assert.equal(await page.getAttribute('.lane[data-lane="1"] .strip', 'data-log'), 'A,B,C');

  await page.click('.exercise .check');
  assert.match(await verdict(page), /Not yet:\s*B = duplicated \(now: delivered\)/);

  // Lose B's ACK: the broker stored B, the producer sends it again.
  await page.click('.lane[data-lane="1"] g[data-msg="1"][data-attempt="1"][data-kind="response"] line.hit');
  await page.waitForSelector('.exercise .verdict.ok');
  assert.match(await verdict(page), /Solved!.*request\.timeout\.ms/);
  assert.equal(await page.getAttribute('.lane[data-lane="1"] .strip', 'data-log'), 'A,B,B,C');
  assert.equal(await page.evaluate(() => localStorage.getItem('kafka-delivery-viz.solved')), '01-store-b-twice');

  // The link went on to the workshop page; its address holds the work: a reload keeps the
  // lost ACK and the exercise.
  assert.match(page.url(), /\/workshop\/\?ex=01-store-b-twice/);
  await page.reload();
  await page.waitForSelector('.exercise h2');
  assert.equal(await page.getAttribute('.lane[data-lane="1"] .strip', 'data-log'), 'A,B,B,C');

  // Progress survived the reload: the menu ticks the exercise.
  await page.click('.ex-menu > summary');
  await page.waitForSelector('.ex-list button');
  assert.equal(await page.textContent('.ex-menu .progress'), `1 of ${COUNT} solved`);
  assert.equal(await page.textContent('.ex-menu .ex-list button[data-ex="01-store-b-twice"] .tick'), '✓');
  assert.equal(await page.textContent('.ex-menu .ex-list button[data-ex="02-lose-b-silently"] .tick'), '');

  // Reset progress: gone now and after another reload.
  await page.click('.ex-menu .reset-progress');
  assert.equal(await page.textContent('.ex-menu .progress'), `0 of ${COUNT} solved`);
  await page.reload();
  await page.click('.ex-menu > summary');
  await page.waitForSelector('.ex-list button');
  assert.equal(await page.textContent('.ex-menu .progress'), `0 of ${COUNT} solved`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the menu opens any exercise; the solution can be revealed and loaded, in Korean too', async () => {
  const page = await app.page('workshop/?lang=ko');
  // The workshop page opens on the list of exercises.
  await page.waitForSelector('.ex-intro .ex-list button');
  assert.equal(await page.locator('.ex-intro .ex-list button').count(), COUNT);
  assert.match(await page.textContent('.ex-intro h2'), /워크숍/);
  await page.click('.ex-menu > summary');
  await page.click('.ex-menu .ex-list button[data-ex="08-out-of-order-sequence"]');
  await page.waitForSelector('.exercise[data-ex="08-out-of-order-sequence"]');
  assert.equal(await page.getAttribute('.ex-menu', 'open'), null, 'the menu closes');
  assert.match(await page.textContent('.exercise h2'), /OUT_OF_ORDER_SEQUENCE_NUMBER/);
  assert.deepEqual(await page.$$eval('.lane', (l) => l.map((x) => x.dataset.lane)), ['2']);
  await page.click('.exercise .check');
  assert.match(await verdict(page), /아직:\s*OUT_OF_ORDER_SEQUENCE_NUMBER ≥ 1 \(지금: 0\)/);

  await page.click('.exercise .hint > summary');
  assert.match(await page.textContent('.exercise .hint p'), /시퀀스 번호/);
  await page.click('.exercise .solution > summary');
  assert.match(await page.textContent('.solution-text'), /error_response B #1/);
  await page.click('.exercise .load-solution');
  await page.click('.exercise .check');
  await page.waitForSelector('.exercise .verdict.ok');
  assert.match(await verdict(page), /해결!/);
  // The rejected record is drawn, and the log keeps its order.
  assert.equal(await page.getAttribute('.lane[data-lane="2"] .strip', 'data-log'), 'A,B,C');

  // Start over puts the start back; closing shows all three lanes again.
  await page.click('.exercise .start-over');
  await page.click('.exercise .check');
  await page.waitForSelector('.exercise .verdict.no');
  await page.click('.exercise .close');
  assert.equal(await page.locator('.exercise[data-ex]').count(), 0);
  assert.equal(await page.locator('.lane').count(), 3);
  // Back on the list, which opens an exercise too.
  await page.click('.ex-intro .ex-list button[data-ex="02-lose-b-silently"]');
  await page.waitForSelector('.exercise[data-ex="02-lose-b-silently"]');
  assert.deepEqual(await page.$$eval('.lane', (l) => l.map((x) => x.dataset.lane)), ['0']);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a check belongs to its exercise: another one, opened or gone back to, is not checked yet', async () => {
  const page = await app.page('workshop/?ex=03-store-b-once&lang=en');
  await page.waitForSelector('.exercise[data-ex="03-store-b-once"]');
  await page.click('.exercise .check');
  await page.waitForSelector('.exercise .verdict.no');
  // An edit within the exercise keeps the check: the verdict follows the run.
  const before = page.url();
  await page.click('.lane g[data-msg="1"][data-attempt="1"][data-kind="response"] line.hit');
  await page.waitForFunction((u) => location.href !== u, before);
  await page.waitForSelector('.exercise .verdict');
  await page.click('.ex-menu > summary');
  await page.click('.ex-menu .ex-list button[data-ex="04-report-the-failure"]');
  await page.waitForSelector('.exercise[data-ex="04-report-the-failure"]');
  assert.equal(await page.locator('.exercise .verdict').count(), 0);
  await page.click('.exercise .check');
  await page.waitForSelector('.exercise .verdict');
  // Back to the first exercise, as it was left: not checked until asked again.
  await page.goBack();
  await page.waitForSelector('.exercise[data-ex="03-store-b-once"]');
  assert.equal(await page.locator('.exercise .verdict').count(), 0);
  await page.click('.exercise .check');
  await page.waitForSelector('.exercise .verdict');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an unknown exercise in a link is named and the page keeps working', async () => {
  const page = await app.page('?ex=no-such-exercise&lang=en');
  await page.waitForFunction(() => /no exercise named `no-such-exercise`/.test(document.querySelector('.banner')?.textContent ?? ''));
  assert.equal(await page.locator('.exercise[data-ex]').count(), 0);
  assert.equal(await page.locator('.lane').count(), 3);
  const bad = await app.page('?ex=%3Cscript%3E&lang=en');
  assert.match(await bad.textContent('.banner'), /`ex=%3Cscript%3E`: not an exercise name/);
  await page.close();
  await bad.close();
});

test('the price of each guarantee: idempotence costs nothing at the same acks; acks=all waits for the followers', async () => {
  const page = await app.page('workshop/?lang=en');
  assert.equal(await page.locator('.price-chart').count(), 0, 'computed only when opened');
  await page.click('.price > summary');
  await page.waitForSelector('.price-chart');
  const panels = await page.$$eval('.price-chart svg', (svgs) =>
    svgs.map((s) => [...s.querySelectorAll('text:not(.t)')].map((t) => t.textContent)),
  );
  const [throughput, waits, readable] = panels;
  assert.equal(throughput.length, 4, 'acks=0, acks=1, acks=all, acks=all + idempotence');
  // A record alone waits linger.ms (5) in its batch, then 10 ms each way, and 10 ms to copy
  // to the followers (3 replicas).
  assert.deepEqual(waits, ['5 ms', '25 ms', '35 ms', '35 ms']);
  assert.deepEqual(readable, ['25 ms', '25 ms', '25 ms', '25 ms']);
  assert.equal(throughput[2], throughput[3], 'idempotence alone changes nothing');
  // (The last record waits linger.ms, 5 ms, for its batch: 400 records over 404 ms.)
  assert.match(throughput[0], /^(99\d|100\d) records\/s$/, 'acks=0 keeps up with 1 record per ms');
  assert.match(await page.textContent('.price-note'), /KIP-185/);
  // Under request loss acks=0 loses records, and the chart says how many.
  const lossy = await app.page('workshop/?lang=en&rl=1');
  await lossy.click('.price > summary');
  await lossy.waitForSelector('.price-chart');
  assert.match(await lossy.textContent('.price-rows li.r0'), /lost \d+/);
  assert.doesNotMatch(await lossy.textContent('.price-rows li.r3'), /lost/);
  assert.deepEqual(page.errors, []);
  await page.close();
  await lossy.close();
});

test('at 375 px the workshop page does not scroll sideways', async () => {
  const page = await app.page('workshop/?lang=ko', { viewport: { width: 375, height: 800 } });
  await page.waitForSelector('.ex-intro .ex-list button');
  await page.click('.price > summary');
  await page.waitForSelector('.price-chart');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(await overflow(), 0);
  await page.click('.ex-intro .ex-list button[data-ex="08-out-of-order-sequence"]');
  await page.waitForSelector('.exercise[data-ex] h2');
  await page.click('.exercise .check');
  await page.click('.exercise .solution > summary');
  assert.equal(await overflow(), 0);
  // The header's exercise menu opens on the screen, not off its left edge (which scrolls no
  // page sideways, so the check above cannot see it).
  await page.click('.ex-menu > summary');
  await page.waitForSelector('.ex-menu .ex-list button');
  const off = await page.$$eval('.ex-menu .menu, .ex-menu .ex-list button', (els) =>
    els.map((e) => e.getBoundingClientRect()).filter((r) => r.left < 0 || r.right > innerWidth).length,
  );
  assert.equal(off, 0, 'parts of the exercise menu are off the screen');
  assert.equal(await overflow(), 0);
  await page.close();
});
