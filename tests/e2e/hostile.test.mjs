// Message names are the reader's text: whatever they hold is shown as text, in every place a
// name appears (the diagrams, the log strips, the event logs, the producer-state tables, Break
// it's scripts, the lane summaries), and never becomes markup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, LIVE, breakAllLanes } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

const NAMES = ['<img src=x onerror=window.__hit=1>', '"><svg onload=window.__hit=2>', '&lt;b&gt; \' & "', 'B'];
const enc = (s) => [...new TextEncoder().encode(s)].map((b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');

test('hostile message names are shown as text everywhere a name appears', async () => {
  // On the workshop page: it has everything the app has, and Break it.
  const page = await app.page(`workshop/?m=${NAMES.map(enc).join(',')}&lang=en`);
  // Every place names are written: open each lane's event log and producer state, run Break it.
  for (const lane of await page.$$(`${LIVE} .lane`)) {
    for (const s of ['.events > summary', '.pstate > summary']) await (await lane.$(s)).click();
  }
  await breakAllLanes(page);
  const found = await page.evaluate(() => ({
    hit: window.__hit ?? null,
    imgs: document.querySelectorAll('#root img').length,
    svgOnload: document.querySelectorAll('#root svg[onload]').length,
    handlers: [...document.querySelectorAll('#root *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    text: document.querySelector('#root').innerText,
  }));
  assert.equal(found.hit, null);
  assert.equal(found.imgs, 0);
  assert.equal(found.svgOnload, 0);
  assert.equal(found.handlers, 0);
  // The names themselves are there, as text: in the first lane's log strip, in the event logs
  // and in the producer-state tables (in flight), in full.
  const strip = await page.$eval(`${LIVE} .lane[data-lane="0"] .strip`, (s) => s.dataset.log);
  assert.equal(strip, NAMES.join(','));
  for (const name of NAMES) assert.ok(found.text.includes(name), name);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('hostile keys are shown as text in the partitioned log strip, its tooltips and the keys field', async () => {
  const page = await app.page(`workshop/?m=A,B,C,D&parts=2&keys=${NAMES.map(enc).join(',')}&lang=en`);
  await page.waitForSelector(`${LIVE} .lane .strip .part`);
  const found = await page.evaluate(() => ({
    hit: window.__hit ?? null,
    injected: document.querySelectorAll('#root img, #root svg[onload], #root b').length,
    keys: [...document.querySelectorAll('#root .lane[data-lane="2"] .strip .key')].map((k) => k.textContent),
    titles: [...document.querySelectorAll('#root .lane[data-lane="2"] .strip .rec')].map((r) => r.title).join('\n'),
  }));
  assert.equal(found.hit, null);
  assert.equal(found.injected, 0);
  assert.deepEqual([...found.keys].sort(), [...NAMES].sort());
  for (const name of NAMES) assert.ok(found.titles.includes(`key ${name}`), name);
  assert.equal(await page.inputValue('#keys'), NAMES.join(', '));
  assert.deepEqual(page.errors, []);
  await page.close();
});
