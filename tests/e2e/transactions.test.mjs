// Transactions as a reader meets them: the sixth story told step by step in both languages,
// the fourth (transactional) lane with its markers in the log strip and what each isolation
// level reads under every lane, the transactions' controls, an imported transactional scenario
// on the workshop page, and the embed page sending such a view to the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, logs, logText, LIVE } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/// What a lane's consumer row says for an isolation level ("A, B, C" or "nothing yet").
const reads = (page, lane, level) =>
  page.textContent(`${LIVE} .lane[data-lane="${lane}"] .consumers [data-level="${level}"] dd`);

test('the transactions story: the zombie is fenced, read_committed never sees the half-written work, the idempotent lane duplicates', async () => {
  for (const [lang, restart, abort, end] of [
    ['en', /crashes before committing and restarts with the same transactional\.id/, /fencing the old instance, and aborts its transaction: an abort marker at offset 2/, /exactly once, end to end/],
    ['ko', /커밋 전에 죽고 같은 transactional\.id로 재시작/, /옛 인스턴스를 펜싱하고 트랜잭션을 중단: 오프셋 2에 abort 마커/, /끝에서 끝까지 정확히 한 번/],
  ]) {
    const page = await app.page(`?story=6&lang=${lang}`);
    // The idempotent lane and the transactional one, side by side.
    assert.deepEqual(await page.$$eval(`${LIVE} .lane`, (l) => l.map((x) => x.dataset.lane)), ['2', '3']);
    assert.match(await page.textContent(`${LIVE} .lane[data-lane="3"] h2`), lang === 'en' ? /transactional/ : /트랜잭션/);
    // Step 2: A is in the log; read_uncommitted reads it, read_committed waits at the LSO.
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /Step 2\/10|단계 2\/10/.test(document.querySelector('.step-no')?.textContent));
    assert.equal(await reads(page, 3, 'read_uncommitted'), 'A');
    assert.equal(await reads(page, 3, 'read_committed'), lang === 'en' ? 'nothing yet' : '아직 없음');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => new RegExp(s).test(document.querySelector('.narration')?.textContent), restart.source);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => new RegExp(s).test(document.querySelector('.narration')?.textContent), abort.source);
    // The abort marker is in the strip, and A and B are struck through from now on.
    assert.equal(await page.textContent(`${LIVE} .lane[data-lane="3"] .strip .ctl.abort .off`), '2');
    assert.equal(
      await page.$eval(`${LIVE} .lane[data-lane="3"] .strip .rec.ab0 .name`, (n) => getComputedStyle(n).textDecorationLine),
      'line-through',
    );
    await page.click('.playback .buttons button:last-child');
    await page.waitForFunction((s) => new RegExp(s).test(document.querySelector('.narration')?.textContent), end.source);
    // The transactional lane: data, markers and all, as a reader sees them.
    assert.equal(await logText(page, 3), 'A B ✕ A B ✓ C ✓');
    assert.equal(await reads(page, 3, 'read_committed'), 'A, B, C');
    assert.equal(await reads(page, 3, 'read_uncommitted'), 'A, B, A, B, C');
    assert.equal(await page.textContent(`${LIVE} .lane[data-lane="3"] dd[data-k="duplicates"]`), '0');
    // The idempotent lane's restart got a new PID: both consumers read B twice.
    assert.equal(await reads(page, 2, 'read_committed'), 'A, B, B, C');
    assert.equal(await reads(page, 2, 'read_uncommitted'), 'A, B, B, C');
    assert.equal(await page.textContent(`${LIVE} .lane[data-lane="2"] dd[data-k="duplicates"]`), '1');
    // The diagram draws the fencing: the calls to the coordinator with the epochs it gave,
    // the refusal while the fence's abort completes, and the markers.
    const calls = await page.$$eval(`${LIVE} .lane[data-lane="3"] .diagram .call text`, (t) => t.map((x) => x.textContent));
    for (const c of ['InitProducerId', 'PID 0 e0', 'AddPartitionsToTxn', 'CONCURRENT_TRANSACTIONS', 'PID 0 e2', 'EndTxn ✓']) {
      assert.ok(calls.includes(c), `${c} in ${calls}`);
    }
    assert.equal(await page.locator(`${LIVE} .lane[data-lane="2"] .diagram .call`).count(), 0, 'no coordinator without a transactional.id');
    const marks = await page.$$eval(`${LIVE} .lane[data-lane="3"] .diagram text.mark`, (t) => t.map((x) => x.textContent));
    assert.ok(marks.some((m) => /◆ (commit|커밋) @5/.test(m)), marks.join('|'));
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('the fourth lane beside the three; its controls cut the messages into transactions and end them', async () => {
  const page = await app.page('?lanes=0,1,2,3&lang=en');
  assert.deepEqual(await page.$$eval(`${LIVE} .lane`, (l) => l.map((x) => x.dataset.lane)), ['0', '1', '2', '3']);
  // Each message its own committed transaction: every consumer of every lane reads the log.
  assert.equal(await reads(page, 3, 'read_committed'), 'A, B, C');
  assert.equal(await logText(page, 3), 'A ✓ B ✓ C ✓');
  assert.equal(await reads(page, 1, 'read_committed'), 'A, B, B, C');
  // One transaction, aborted: read_committed reads nothing, read_uncommitted all three.
  await page.selectOption('#txns', { label: 'all in one, aborted' });
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="3"] .strip .ctl.abort'));
  assert.equal(await reads(page, 3, 'read_committed'), 'nothing yet');
  assert.equal(await reads(page, 3, 'read_uncommitted'), 'A, B, C');
  assert.match(page.url(), /[?&]tx=3a(&|$)/);
  // The last alone, never ended: the coordinator aborts it after transaction.timeout.ms.
  await page.selectOption('#txns', { label: 'the last alone, never ended' });
  await page.waitForFunction(() => /tx=2c,1n/.test(location.search));
  assert.equal(await reads(page, 3, 'read_committed'), 'A, B');
  await page.click(`${LIVE} .lane[data-lane="3"] .events > summary`);
  await page.waitForFunction(() =>
    /coordinator: transaction prepare_abort, epoch 1 \(transaction\.timeout\.ms\)/.test(document.querySelector('.lane[data-lane="3"] .events table')?.textContent),
  );
  // A coordinator that answers late: a number field, into the link.
  await page.fill('#coord', '250');
  await page.press('#coord', 'Enter');
  await page.waitForFunction(() => /[?&]coord=250(&|$)/.test(location.search));
  // Messages changed: the transactions keep their shape.
  await page.fill('#messages', 'A B C D');
  await page.press('#messages', 'Enter');
  await page.waitForFunction(() => /tx=3c,1n/.test(location.search));
  // Reload: the link holds all of it.
  await page.reload();
  await page.waitForSelector(`${LIVE} .lane[data-lane="3"] .strip`);
  assert.equal(await page.$eval('#txns', (s) => s.selectedOptions[0].textContent), 'the last alone, never ended');
  assert.equal(await page.inputValue('#coord'), '250');
  assert.deepEqual(page.errors, []);
});

test('the workshop page imports a scenario with transactions and shows the transactional lane beside the three', async () => {
  const page = await app.page('workshop/?lang=en');
  await page.click('.share-menu > summary');
  await page.fill('#import-text', readFileSync('scenarios/txn-commit-then-abort.json', 'utf8'));
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForSelector(`${LIVE} .lane[data-lane="3"] .strip .ctl.abort`);
  const golden = JSON.parse(readFileSync('scenarios/txn-commit-then-abort.json', 'utf8'));
  assert.equal(await reads(page, 3, 'read_committed'), golden.expect.consumers.read_committed.join(', '));
  assert.equal(await reads(page, 3, 'read_uncommitted'), golden.expect.consumers.read_uncommitted.join(', '));
  // A cut the controls have no name for is shown as imported.
  assert.deepEqual(Object.keys(await logs(page)), ['0', '1', '2', '3']);
  assert.deepEqual(page.errors, []);
});

test('the embed page sends a transactional view to the app, which runs it embedded', async () => {
  const page = await app.page('embed/?story=6&lang=en');
  await page.waitForFunction(() => !location.pathname.includes('/embed/') && /[?&]embed(&|$)/.test(location.search));
  await page.waitForSelector(`${LIVE} .lane[data-lane="3"] .consumers`);
  assert.equal(await page.locator('.controls').count(), 0);
  assert.deepEqual(page.errors, []);
});
