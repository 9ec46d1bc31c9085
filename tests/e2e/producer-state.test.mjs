// The producer-state table: at the seed's third story's resend it says why the broker answered
// as it did, highlights the remembered batch that decided it, and in a lane without idempotence
// says there is nothing to remember. The embed page leaves it out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, LIVE } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

async function open(page, lane) {
  const l = page.locator(`${LIVE} .lane[data-lane="${lane}"]`);
  await l.locator('.pstate summary').click();
  await l.locator('.pstate .pstate-grid').waitFor();
  return l.locator('.pstate');
}

// Story 3, step 5: B's ACK was lost and B is sent again with the same sequence number.
const RESEND = '?story=3&step=5';

test('the resend is found in the window: the sentence, the batch and the expected sequence', async () => {
  const page = await app.page(`${RESEND}&lang=en`);
  const table = await open(page, 2);
  assert.match(await table.locator('.why').innerText(), /seq 1 is in PID 0's window of five \(offset 1\): a duplicate, not stored/);
  // The broker remembers seq 0 → offset 0 and seq 1 → offset 1; the second decided the answer.
  assert.deepEqual(await table.locator('.batch').allInnerTexts(), ['0 → 0', '1 → 1']);
  assert.equal(await table.locator('.batch.hit').innerText(), '1 → 1');
  assert.equal(await table.locator('tr.decided td').last().innerText(), '2');
  // The producer resends B with the sequence it had: attempt 2, seq 1.
  assert.match(await table.locator('dl').innerText(), /B #2 \(seq 1\)/);
  // One step earlier the resend had not been answered: no sentence for it.
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => !document.querySelector('.lane[data-lane="2"] .pstate .why'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a lost ACK stalls the connection, and the table says so until the timeout', async () => {
  const page = await app.page('?story=3&step=3&lang=en');
  const table = await open(page, 2);
  assert.match(await table.locator('.stalled').innerText(), /later answers cannot pass the lost answer to B #1/);
  await page.close();
});

test('without idempotence there is nothing to remember, in Korean too', async () => {
  for (const [lang, words] of [['en', /nothing to remember/], ['ko', /기억할 것이 없습니다/]]) {
    const page = await app.page(`${RESEND}&lang=${lang}`);
    for (const lane of [0, 1]) {
      const table = await open(page, lane);
      assert.match(await table.locator('.nothing').innerText(), words);
      assert.equal(await table.locator('table').count(), 0);
    }
    if (lang === 'ko') {
      const table = await open(page, 2);
      assert.match(await table.locator('.why').innerText(), /seq 1: PID 0의 최근 배치 5개 안에 있음/);
    }
    await page.close();
  }
});

test('with acks=0 nothing waits for an answer', async () => {
  const page = await app.page(`${RESEND}&lang=en`);
  const table = await open(page, 0);
  assert.match(await table.locator('dl').innerText(), /in flight\s+none/);
  await page.close();
});

test('the embed page has no producer-state table', async () => {
  const page = await app.page(`embed/${RESEND}&lang=en`);
  assert.equal(await page.locator('.pstate').count(), 0);
  await page.close();
});

test('an expired batch leaves its sequence unresolved until nothing is in flight', async () => {
  // A's request is lost twice and A expires at its delivery timeout (1.5 s) while B, 400 ms
  // behind it, is still in flight: the producer cannot know whether A was stored.
  const page = await app.page('?m=A,B&gap=400&sync=0&f=req.A.1,req.A.2&l2=request.timeout.ms:1000,delivery.timeout.ms:1500&lang=en');
  const table = await open(page, 2);
  const unresolved = () => table.locator('dl').innerText();
  // At the end it is resolved (the gap bumped the epoch); stepping back finds the moment it was not.
  assert.match(await unresolved(), /unresolved\s+none/);
  assert.match(await unresolved(), /epoch 1/);
  let steps = 0;
  while (!/before seq 1 may or may not be stored/.test(await unresolved())) {
    assert.ok(++steps < 40, 'no step shows the unresolved sequence');
    await page.keyboard.press('ArrowLeft');
  }
  assert.match(await unresolved(), /epoch 0/);
  // The event log says it in the same words as the trace.
  await page.click('.lane[data-lane="2"] .events > summary');
  await page.waitForFunction(() => /a batch expired after it was sent/.test(document.querySelector('.lane[data-lane="2"] .events').innerText));
  assert.deepEqual(page.errors, []);
  await page.close();
});
