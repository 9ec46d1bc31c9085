// Batches as a reader meets them: the fifth story in both languages, arrows that name the
// records they carry, the event log listing them, linger.ms typed into a lane, and the embed
// page handing a view that batches to the app.
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

/// The labels of a lane's request arrows, in drawing order.
const requests = (page, lane) =>
  page.$$eval(`.lane[data-lane="${lane}"] svg.diagram:not(.diagram-now) :is(.arrow.req, .arrow.retry) text`, (t) =>
    t.map((x) => x.textContent),
  );

test('the batches story: linger.ms 0 sends three requests and reorders, linger.ms 5 sends one batch that keeps its order', async () => {
  const page = await app.page('?lang=en');
  await page.selectOption('#story', '5');
  await page.waitForFunction(() => /linger\.ms\s0/.test(document.querySelector('.narration').textContent));
  assert.match(await page.textContent('.lane[data-lane="1"] .config'), /linger\.ms\s0/);
  assert.doesNotMatch(await page.textContent('.lane[data-lane="2"] .config'), /linger/, 'Kafka 4\'s default is not named');
  assert.equal(await page.locator('.lane.story-lane').getAttribute('data-lane'), '1');
  // Step 3: the idempotent lane, one request for the three records, with their sequences.
  await forward(page, 2);
  assert.match(await page.textContent('.narration'), /one request, A B C/);
  assert.equal(await page.locator('.lane.story-lane').getAttribute('data-lane'), '2');
  const story = page.locator('.lane[data-lane="2"] .arrow.story');
  assert.equal(await story.count(), 1);
  assert.match(await story.locator('text').textContent(), /^A B C pid0 seq0-2$/);
  // To the end: one request or three, and the logs they leave.
  await page.click('button[aria-label="To the end"]');
  await page.waitForFunction(() => /Step 6\/6/.test(document.querySelector('.step-no').textContent));
  assert.match(await page.textContent('.narration'), /A, C, B/);
  const first = (labels) => labels.filter((l) => !/#\d/.test(l));
  assert.deepEqual(first(await requests(page, 1)), ['A', 'B', 'C']);
  assert.deepEqual(first(await requests(page, 2)), ['A B C pid0 seq0-2']);
  assert.deepEqual(await requests(page, 0), ['A B C']);
  const l = await logs(page);
  assert.equal(l[1], 'A,C,B');
  assert.equal(l[2], 'A,B,C');
  assert.ok(!l[0], `acks=0 lost the batch: ${l[0]}`);
  // The event log names every record of the batch, and its sequence range.
  await page.click('.lane[data-lane="2"] .events > summary');
  await page.waitForFunction(() =>
    /A B C #2 \(PID 0, seq 0-2\) is sent again/.test(document.querySelector('.lane[data-lane="2"] .events').innerText),
  );
  assert.deepEqual(page.errors, []);
});

test('the batches story in Korean, from its link', async () => {
  const page = await app.page('?story=5&step=2&lang=ko');
  assert.match(await page.textContent('.narration'), /배치에 모임: 요청 하나\(A B C/);
  assert.match(await page.textContent('#story'), /배치: linger\.ms 0과 5/);
  assert.deepEqual(page.errors, []);
});

test('sends that do not wait share a batch; linger.ms=0 typed into a lane sends one request a record', async () => {
  const page = await app.page('?sync=0&f=&lang=en');
  assert.deepEqual(await requests(page, 2), ['A B C pid0 seq0-2']);
  // The tooltip of a batch of more than three lists every record.
  const five = await app.page('?sync=0&f=&m=A,B,C,D,E&lang=en');
  const arrow = five.locator('.lane[data-lane="1"] .arrow.req').first();
  assert.equal(await arrow.locator('text').textContent(), 'A…E');
  assert.match(await arrow.locator('title').textContent(), /^A B C D E \(5\) · /);
  await page.click('.lane[data-lane="2"] .settings summary');
  await page.fill('#lane2-properties', 'linger.ms=0\n');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelectorAll('.lane[data-lane="2"] svg.diagram:not(.diagram-now) .arrow.req').length === 3);
  assert.deepEqual(await requests(page, 2), ['A pid0 seq0', 'B pid0 seq1', 'C pid0 seq2']);
  assert.match(await page.textContent('.lane[data-lane="2"] .config'), /linger\.ms\s0/);
  assert.match(page.url(), /l2=/, 'the link keeps the lane\'s setting');
  assert.deepEqual(page.errors.concat(five.errors), []);
});

test('the embed page opens a view whose sends share batches in the app\'s embed view', async () => {
  for (const view of ['story=5&lang=en', 'sync=0&f=&lang=en']) {
    const page = await app.page(`embed/?${view}`);
    assert.equal(new URL(page.url()).pathname, '/kafka-delivery/', view);
    assert.match(page.url(), /[?&]embed(&|$)/);
    assert.equal(await page.locator('.controls, h1').count(), 0, 'no page chrome');
    assert.deepEqual(await requests(page, 2).then((r) => r.slice(0, 1)), ['A B C pid0 seq0-2']);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('forty records acknowledged at once are said in a few sentences and a count', async () => {
  const page = await app.page('?sync=0&f=&n=40&lanes=2&step=end&lang=en');
  const say = await page.textContent('.playback .say');
  assert.match(say, /app: m0 succeeded \(offset 0\)/);
  assert.match(say, /… \+32/, say);
  assert.ok(say.length < 800, `${say.length} characters`);
  assert.deepEqual(page.errors, []);
});

test('a batch of many records acknowledged at once stacks three results and counts the rest', async () => {
  const page = await app.page('?n=12&sync=0&lang=en');
  const marks = (lane) =>
    page.$$eval(`.lane[data-lane="${lane}"] svg.diagram:not(.diagram-now) text.m-acked`, (t) => t.map((x) => x.textContent));
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="2"] .strip')?.dataset.log?.split(',').length === 12);
  // One request carries all twelve; its answer acknowledges them at one moment.
  assert.deepEqual(await marks(2), ['✓ A', '✓ B', '✓ C', '… +9']);
  // Every record is still in the log and the event log.
  assert.equal((await page.getAttribute('.lane[data-lane="2"] .strip', 'data-log')).split(',').length, 12);
  // The diagram ends a few lines below that moment, not twelve.
  const [height, lowest] = await page.$eval('.lane[data-lane="2"] svg.diagram:not(.diagram-now)', (svg) => [
    svg.viewBox.baseVal.height,
    Math.max(...[...svg.querySelectorAll('text.m-acked')].map((t) => Number(t.getAttribute('y')))),
  ]);
  assert.ok(lowest < height && height - lowest < 30, `${lowest} in ${height}`);
});
