// Break it (on the workshop page; the app links there): the search in the page finds what the CLI finds, a result loads its script into all
// lanes, and the lanes then show what the CLI's run of that script shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { start, logs, breakAllLanes } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

// The engine's own CLI, built as the tests build it (not with the size build's flags).
function cli(args, input) {
  const env = { ...process.env };
  for (const k of ['RUSTFLAGS', 'RUSTC_BOOTSTRAP', 'CARGO_TARGET_DIR', 'CARGO_UNSTABLE_BUILD_STD', 'CARGO_UNSTABLE_BUILD_STD_FEATURES']) delete env[k];
  const run = spawnSync('cargo', ['run', '-q', '-p', 'delivery-sim', '--', ...args], { input, encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const SCENARIO = JSON.stringify({ messages: ['A', 'B', 'C'], sync: true, seed: 7 });
const MODES = ['at-most-once', 'at-least-once', 'exactly-once'];
const GUARANTEES = ['no_loss', 'no_duplicates', 'order', 'no_failure'];

test('break it finds the CLI\'s scripts, loads one into all lanes, and the lanes show the CLI\'s logs', async () => {
  const page = await app.page('workshop/?lang=en');
  await breakAllLanes(page);
  // The page's verdicts, lane by lane: broken (✗) or holding (✓), as the CLI's search up to
  // three faults says.
  const page_ = await page.$$eval('.break-lane', (lanes) => lanes.map((l) => [...l.querySelectorAll('li')].map((li) => li.className)));
  const found = cli(['search', '-', '--max-faults', '3'], SCENARIO);
  MODES.forEach((mode, lane) => {
    const want = GUARANTEES.map((g) => (found.modes[mode][g] ? 'broken' : 'holds'));
    assert.deepEqual(page_[lane], want, mode);
  });
  assert.match(await page.textContent('.break-status'), /\d+ scripts tried in \d+ ms/);

  // At-least-once's duplicate: its script, loaded into all lanes.
  const script = found.modes['at-least-once'].no_duplicates;
  assert.deepEqual(script, [{ kind: 'drop_response', message: 'A', attempt: 1 }]);
  const before = await logs(page);
  await page.click('.break-lane:nth-child(2) li.broken .load');
  await page.waitForFunction((b) => JSON.stringify([...document.querySelectorAll('#root .lane')].map((l) => l.querySelector('.strip')?.dataset.log)) !== b, JSON.stringify(Object.values(before)));
  const after = await logs(page);
  MODES.forEach((mode, lane) => {
    const run = cli(['run', '-'], JSON.stringify({ ...JSON.parse(SCENARIO), mode, faults: script }));
    assert.equal(after[lane], run.log.map((r) => r.message).join(','), mode);
  });
  assert.equal(after[1], 'A,A,B,C', 'the ACK lost: A stored twice');
  // The page's faults are the script's, and the results still stand (only the faults changed).
  assert.deepEqual(await page.$$eval('.faults .fault', (f) => f.map((x) => x.dataset.kind)), ['drop_response']);
  assert.equal(await page.locator('.break-stale').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the search never holds the page: a 300-message run keeps answering between slices', async () => {
  const page = await app.page('workshop/?lang=ko&n=300&gap=10&sync=0');
  // 10 ms apart, wider than linger.ms: a request a record, runs heavy enough that the time
  // budget stops the search.
  await page.click('.break .break-buttons .primary');
  // While it runs, the page paints: frames keep coming, none longer than a few slices.
  const gaps = await page.evaluate(
    () =>
      new Promise((done) => {
        const out = [];
        let last = performance.now();
        const frame = (t) => {
          out.push(t - last);
          last = t;
          if (document.querySelector('.break .primary').disabled || out.length < 3) requestAnimationFrame(frame);
          else done(out);
        };
        requestAnimationFrame(frame);
      }),
  );
  assert.ok(gaps.length > 10, `${gaps.length} frames while searching`);
  const worst = Math.max(...gaps.slice(1));
  assert.ok(worst < 250, `the longest frame while searching took ${worst.toFixed(0)} ms`);
  // The budget stops it: its verdicts say how far it got, in Korean.
  const status = await page.textContent('.break-status');
  assert.match(status, /개 조합을 \d+ ms에 시도/);
  // A guarantee the search did not get to the end of single faults for is not called kept.
  const verdicts = await page.$$eval('.break-lane li', (l) => l.map((x) => x.className + ' ' + x.textContent));
  assert.ok(verdicts.some((v) => v.startsWith('untried ') && /시간 제한/.test(v)), verdicts.join('\n'));
  assert.ok(!verdicts.some((v) => /장애 0개까지/.test(v)), verdicts.join('\n'));
});

test('the effective settings say which rule turned idempotence off, in both languages', async () => {
  for (const [lang, off, since] of [
    ['en', /switched off: enable\.idempotence was not set and acks=1 conflicts with it/, /default since Kafka 4\.0 \(KIP-1030\)/],
    ['ko', /enable\.idempotence를 설정하지 않았고 acks=1와\(과\) 맞지 않아 꺼짐/, /Kafka 4\.0부터 기본값 \(KIP-1030\)/],
  ]) {
    const page = await app.page(`?l2=acks:1&lang=${lang}`);
    await page.click('.lane[data-lane="2"] .settings summary');
    const rows = await page.$$eval('.lane[data-lane="2"] .effective li', (l) => l.map((x) => [x.className, x.querySelector('code').textContent, x.querySelector('span').textContent]));
    const row = (key) => rows.find((r) => r[1].startsWith(`${key}=`));
    assert.deepEqual(row('acks').slice(0, 2), ['set', 'acks=1']);
    assert.equal(row('enable.idempotence')[0], 'rule');
    assert.equal(row('enable.idempotence')[1], 'enable.idempotence=false');
    assert.match(row('enable.idempotence')[2], off);
    assert.match(row('linger.ms')[2], since);
    // The lane runs what the list says: the "exactly-once" lane is not idempotent any more.
    assert.match(await page.textContent('.lane[data-lane="2"] .config'), /acks=1 · .* · idempotence=off/);
    assert.deepEqual(page.errors, []);
  }
});

test('the app links to Break it on the workshop page, with its view, and the search is in view there', async () => {
  const page = await app.page('?lang=ko&m=A,B,C,D&f=ack.B.1&l0=acks:1');
  assert.equal(await page.locator('.break').count(), 0, 'the search is not in the app');
  const before = await logs(page);
  const link = page.locator('.break-link a');
  assert.match(await link.textContent(), /깨뜨려 보기/);
  await Promise.all([page.waitForURL(/\/workshop\//), link.click()]);
  await page.waitForSelector('#root > .app .break .break-buttons .primary');
  // The same view: the same messages, fault and lane settings give the same logs.
  await page.waitForFunction((b) => JSON.stringify([...document.querySelectorAll('#root .lane')].map((l) => l.querySelector('.strip')?.dataset.log)) === b, JSON.stringify(Object.values(before)));
  await page.waitForFunction(() => {
    const r = document.getElementById('break').getBoundingClientRect();
    return r.top >= 0 && r.top < innerHeight;
  });
  await breakAllLanes(page);
  assert.deepEqual(page.errors, []);
});
