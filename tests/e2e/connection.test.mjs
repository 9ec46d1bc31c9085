// One Kafka connection as a reader sees it: answers held behind a lost one, the timeout that
// closes the connection, requests held behind a lost request with the seed's gap picture
// corrected, and a click that turns a request into a broker error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, logs } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/// The event log of a lane as a reader reads it, one row a line.
async function eventLog(page, lane) {
  await page.click(`.lane[data-lane="${lane}"] .events > summary`);
  // The log is written when opened: wait for its rows.
  await page.waitForSelector(`.lane[data-lane="${lane}"] .events tbody tr`);
  return page.$$eval(`.lane[data-lane="${lane}"] .events tbody tr`, (rows) => rows.map((r) => r.textContent));
}

test("one lost ACK with five in flight: the answers behind it are held, and the timeout fails all five", async () => {
  const page = await app.page('?m=A,B,C,D,E&f=ack.A.1&sync=0&gap=10&step=end&lang=en');
  // Without idempotence all five are stored again, newest first; the idempotent producer
  // resends them in order and the broker recognises each.
  assert.deepEqual(await logs(page), { 0: 'A,B,C,D,E', 1: 'A,B,C,D,E,E,D,C,B,A', 2: 'A,B,C,D,E' });
  for (const lane of [1, 2]) {
    const held = page.locator(`.lane[data-lane="${lane}"] svg.diagram:not(.diagram-now) g.arrow.ack.held`);
    assert.equal(await held.count(), 4, `lane ${lane}: B to E's ACKs held`);
    assert.equal(await held.locator('path.hold').count(), 4, 'each ends in a pause sign');
    assert.match(await held.first().locator('title').textContent(), /held behind a lost packet/);
    const timeouts = page.locator(`.lane[data-lane="${lane}"] svg.diagram:not(.diagram-now) text.m-timeout`);
    assert.equal(await timeouts.count(), 1, `lane ${lane}: one timeout closes the connection`);
  }
  const rows = await eventLog(page, 1);
  assert.ok(rows.some((r) => r.includes("B's ACK is held behind A's lost ACK")), rows.join('\n'));
  assert.ok(rows.some((r) => /A: no answer within request\.timeout\.ms: the connection is closed/.test(r)));
  assert.equal(rows.filter((r) => r.includes('fails too (REQUEST_TIMED_OUT)')).length, 4);
  // The legend names the new shape.
  assert.match(await page.textContent('.legend'), /held behind a lost packet on the same connection/);
  assert.deepEqual(page.errors, []);
});

test("a lost request holds back the ones behind it; the narration corrects the study notes' gap, in both languages", async () => {
  for (const [lang, note] of [
    ['en', /C is held behind B's lost request on one connection and never arrives: no gap reaches the broker, unlike the notes' picture/],
    ['ko', /C는 한 연결에서 유실된 B 요청 뒤에 막혀 도착하지 않음: 정리 노트의 그림과 달리 번호의 틈이 생기지 않음/],
  ]) {
    const page = await app.page(`?f=req.B.1&sync=0&gap=10&lang=${lang}`);
    assert.deepEqual(await logs(page), { 0: 'A,C', 1: 'A,C,B', 2: 'A,B,C' });
    const rows = await eventLog(page, 2);
    assert.ok(rows.some((r) => note.test(r)), rows.join('\n'));
    // Nothing reached the broker out of order: the idempotent lane has no rejection at all.
    assert.equal(await page.locator('.lane[data-lane="2"] svg.diagram:not(.diagram-now) text.m-err').count(), 0);
    assert.deepEqual(page.errors, []);
  }
});

test('clicking a request loses it, clicking again makes it a broker error, and again restores it', async () => {
  const page = await app.page('?f=&sync=0&gap=10&lang=en');
  assert.deepEqual(await logs(page), { 0: 'A,B,C', 1: 'A,B,C', 2: 'A,B,C' });
  const b = (lost) =>
    page.locator(`.lane[data-lane="1"] svg.diagram:not(.diagram-now) g[data-msg="1"][data-attempt="1"][data-kind="request"][data-lost="${lost}"] line.hit`);
  await b(false).click();
  await page.waitForFunction(() => location.search.includes('f=req.B.1'));
  assert.equal((await logs(page))[1], 'A,C,B');
  // The same request again: the broker turns it down now. C, read next, is stored before B's
  // retry without idempotence, and answered OUT_OF_ORDER_SEQUENCE_NUMBER with it.
  await b(true).click();
  await page.waitForFunction(() => location.search.includes('f=err.B.1.NOT_ENOUGH_REPLICAS'));
  // (acks=0 has no answer for the error: the broker closes the connection, C behind B with it.)
  assert.deepEqual(await logs(page), { 0: 'A', 1: 'A,C,B', 2: 'A,B,C' });
  const marks = await page.$$eval('.lane[data-lane="2"] svg.diagram:not(.diagram-now) text.m-err', (t) => t.map((x) => x.textContent));
  assert.deepEqual(marks, ['⊘ NOT_ENOUGH', '⊘ OOOS']);
  assert.equal(await page.locator('.faults li[data-kind="error_response"]').count(), 1);
  assert.equal(await page.inputValue('.faults li[data-kind="error_response"] select[id$="-error"]'), 'NOT_ENOUGH_REPLICAS');
  // The third click leaves B as it was.
  await b(false).click();
  await page.waitForFunction(() => !/f=[^&]/.test(location.search));
  assert.deepEqual(await logs(page), { 0: 'A,B,C', 1: 'A,B,C', 2: 'A,B,C' });
  assert.deepEqual(page.errors, []);
});

test('the broker error can be chosen in the fault list and travels in the link', async () => {
  const page = await app.page('?f=err.B.1.CORRUPT_MESSAGE&sync=0&gap=10&lang=en');
  assert.equal(await page.inputValue('.faults li[data-kind="error_response"] select[id$="-error"]'), 'CORRUPT_MESSAGE');
  await page.selectOption('.faults li[data-kind="error_response"] select[id$="-error"]', 'NOT_LEADER_OR_FOLLOWER');
  await page.waitForFunction(() => location.search.includes('f=err.B.1.NOT_LEADER_OR_FOLLOWER'));
  const marks = await page.$$eval('.lane[data-lane="1"] svg.diagram:not(.diagram-now) text.m-err', (t) => t.map((x) => x.textContent));
  assert.deepEqual(marks, ['⊘ NOT_LEADER']);
  // acks=0 has no answer to carry the error: the broker closes the connection, and C, behind
  // B on it, is lost too.
  assert.equal((await logs(page))[0], 'A');
  assert.equal(await page.locator('.lane[data-lane="0"] svg.diagram:not(.diagram-now) text.m-lost').count(), 1);
  // A broken token is named and the rest of the link kept.
  const bad = await app.page('?f=err.B.1.OOPS,req.C.1&lang=en');
  assert.match(await bad.textContent('.banner'), /fault `err\.B\.1\.OOPS`: `OOPS` is not a broker error the fault can answer/);
  assert.equal(await bad.locator('.faults li').count(), 1);
  assert.deepEqual(page.errors, []);
});
