// Topics of several partitions and keyed messages run on the workshop page (the feature
// `partitions`, which does not fit the app's size ceiling: README, "Size and speed"): a log strip
// a row per partition with its records' keys, the partitions and keys fields, and the link. The
// app and the embed page send such a view there, as it was (an embed stays an embed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, logs, LIVE } from './helpers.mjs';

const golden = JSON.parse(readFileSync('scenarios/keys-land-on-murmur2-partitions.json', 'utf8'));
const keyOf = Object.fromEntries(golden.messages.map((m) => [m.name, m.key]));
/// Where the CLI's golden puts each record, as the strip should show it ("A:k1").
const placed = (mode) =>
  Object.fromEntries(Object.entries(golden.expect_modes[mode].partitions).map(([p, names]) => [p, names.map((n) => `${n}:${keyOf[n]}`)]));

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/// A lane's log strip as the reader sees it: partition → the names in its row, and the keys.
function rows(page, lane) {
  return page.$eval(`.lane[data-lane="${lane}"] .strip`, (strip) => {
    const out = {};
    let row = null;
    for (const li of strip.children) {
      if (li.classList.contains('part')) out[(row = li.textContent.replace('P', ''))] = [];
      else if (li.classList.contains('rec')) {
        const key = li.querySelector('.key')?.textContent;
        out[row]?.push(li.querySelector('.name').textContent.trim() + (key ? `:${key}` : ''));
      }
    }
    return out;
  });
}

test('a scenario with keys imported on the workshop page shows each partition its row, as the CLI places them', async () => {
  const page = await app.page('workshop/?lang=en');
  await page.click('.share-menu > summary');
  await page.fill('#import-text', JSON.stringify(golden));
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForFunction(() => document.querySelector('#partitions')?.value === '3');
  // The engine's goldens say which partition each record lands on (murmur2 of its key).
  for (const [lane, mode] of [[1, 'at-least-once'], [2, 'exactly-once']]) {
    assert.deepEqual(await rows(page, lane), placed(mode), mode);
  }
  assert.equal(await page.inputValue('#keys'), 'k1, k2, k3, k1');
  // One request carries a batch of each partition: the event log says so.
  await page.click('.lane[data-lane="2"] .events > summary');
  await page.waitForFunction(
    () => [...document.querySelectorAll('.lane[data-lane="2"] .events tr')].filter((r) => /the same request also carries P\d's/.test(r.textContent)).length === 2,
  );
  assert.match(page.url(), /parts=3/);
  assert.match(page.url(), /keys=k1,k2,k3,k1/);
  assert.deepEqual(page.errors, []);
});

test('the partitions and keys fields change the topic, and the link keeps it through a reload', async () => {
  const page = await app.page('workshop/?m=A,B,C,D&lanes=2&lang=en');
  assert.deepEqual(await rows(page, 2), {}, 'one partition: no rows headed');
  await page.fill('#partitions', '2');
  await page.press('#partitions', 'Enter');
  await page.fill('#keys', 'blue, red, blue');
  await page.press('#keys', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('.lane[data-lane="2"] .strip .part').length > 0);
  const shown = await rows(page, 2);
  // Each key on one partition, in send order; D has no key and goes where the sticky
  // partitioner is.
  const where = (name) => Object.entries(shown).find(([, r]) => r.some((x) => x.startsWith(name)))?.[0];
  assert.equal(where('A'), where('C'), 'the same key, the same partition');
  const [, row] = Object.entries(shown).find(([p]) => p === where('A'));
  assert.ok(row.indexOf('A:blue') < row.indexOf('C:blue'), 'in send order');
  assert.deepEqual(Object.values(shown).flat().map((x) => x[0]).sort(), ['A', 'B', 'C', 'D']);
  assert.match(page.url(), /parts=2/);
  await page.reload();
  await page.waitForSelector(`${LIVE} .lane .strip .part`);
  assert.deepEqual(await rows(page, 2), shown);
  assert.equal(await page.inputValue('#keys'), 'blue, red, blue');
  // A bad key list is named and nothing changes.
  await page.fill('#keys', 'a, b, c, d, e');
  await page.press('#keys', 'Enter');
  await page.waitForFunction(() => /5 keys for 4 messages/.test(document.querySelector('#keys').validationMessage));
  assert.deepEqual(await rows(page, 2), shown);
  assert.deepEqual(page.errors, []);
});

test('the app and the embed page open a link with partitions or keys on the workshop page, an embed as an embed', async () => {
  for (const path of ['', 'embed/']) {
    const page = await app.page(`${path}?m=A,B,C,D&parts=3&keys=k1,k2,k3,k1&lanes=1,2&lang=en`);
    assert.match(page.url(), /\/workshop\/\?/, path);
    assert.equal(/[?&]embed(&|$)/.test(page.url()), path === 'embed/', `${path}: an embed stays one`);
    assert.equal(await page.locator('header.top').count(), path === 'embed/' ? 0 : 1);
    assert.deepEqual(await rows(page, 2), placed('exactly-once'));
    assert.deepEqual(page.errors, []);
    await page.close();
  }
  // The app's controls link to the partitions story there, in the reader's language.
  const page = await app.page('?m=X,Y&lanes=1&lang=ko');
  const href = await page.getAttribute('.partitions-link', 'href');
  assert.match(href, /workshop\/\?story=7&lang=ko&theme=light$/);
  await page.click('.partitions-link');
  await page.waitForSelector(`${LIVE} #partitions`);
  assert.equal(await page.inputValue('#story'), '7');
  assert.equal(await page.inputValue('#partitions'), '3');
  assert.deepEqual(page.errors, []);
});

test('the partitions story: order is kept per partition, and only with idempotence', async () => {
  const order = JSON.parse(readFileSync('scenarios/order-per-partition.json', 'utf8')).expect_modes;
  for (const [lang, first, last] of [
    ['en', /murmur2 puts both on partition 2/, /Records that must stay in order need the same key/],
    ['ko', /murmur2가 둘 다 파티션 2에/, /순서가 중요한 레코드는 같은 키로/],
  ]) {
    // Its link opens on the workshop page from the app.
    const page = await app.page(`?story=7&lang=${lang}`);
    assert.match(page.url(), /\/workshop\/\?story=7/);
    assert.deepEqual(await page.$$eval(`${LIVE} .lane`, (l) => l.map((x) => x.dataset.lane)), ['1', '2']);
    await page.waitForFunction((s) => new RegExp(s).test(document.querySelector('.narration')?.textContent), first.source);
    await page.click('.playback .buttons button:last-child');
    await page.waitForFunction((s) => new RegExp(s).test(document.querySelector('.narration')?.textContent), last.source);
    // The logs the CLI's golden expects: reordered in both partitions without idempotence,
    // in send order in each with it (keys under the names).
    const names = async (lane) => Object.fromEntries(Object.entries(await rows(page, lane)).map(([p, r]) => [p, r.map((x) => x.split(':')[0])]));
    assert.deepEqual(await names(1), order['at-least-once'].partitions);
    assert.deepEqual(await names(2), order['exactly-once'].partitions);
    assert.equal(await page.textContent(`${LIVE} .lane[data-lane="1"] dd[data-k="reordered"]`), '2');
    assert.equal(await page.textContent(`${LIVE} .lane[data-lane="2"] dd[data-k="reordered"]`), '0');
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('the partitions exercises: one customer on one partition by its key, solved in the keys field', async () => {
  const page = await app.page('workshop/?ex=16-one-key-one-partition&lang=en');
  await page.waitForSelector('.exercise h2');
  assert.equal(await page.textContent('.exercise h2'), 'One customer, one partition');
  assert.deepEqual(await rows(page, 2), { 0: ['B:k2', 'D:k2'], 2: ['A:k1', 'C:k1'] });
  await page.click('.exercise .check');
  await page.waitForFunction(() => /partition 2 = A, B, C \(now: A, C\)/.test(document.querySelector('.exercise .verdict')?.textContent));
  await page.fill('#keys', 'k1, k1, k1, k2');
  await page.press('#keys', 'Enter');
  await page.waitForSelector('.exercise .verdict.ok');
  assert.deepEqual(await rows(page, 2), { 0: ['D:k2'], 2: ['A:k1', 'B:k1', 'C:k1'] });
  assert.deepEqual(page.errors, []);
  await page.close();
});
