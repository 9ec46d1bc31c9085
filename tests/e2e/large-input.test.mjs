// A 10 MB paste, wherever a reader can paste: a clear message naming what is wrong, at once, and
// the page keeps working with nothing lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, logs, LIVE } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/// Puts `text` into a textarea as a paste does, and lets the page hear the change.
async function paste(page, selector, text) {
  await page.evaluate(([selector, text]) => {
    const field = document.querySelector(selector);
    field.value = text;
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }, [selector, text]);
}

const MB10 = 10_000_000;

test('a 10 MB paste into a lane\'s properties is refused with its size, and the lane keeps its settings', async () => {
  const page = await app.page('?lang=en');
  const before = await logs(page);
  const lane = `${LIVE} .lane[data-lane="1"]`;
  await page.click(`${lane} .settings > summary`);
  for (const text of ['x\n'.repeat(MB10 / 2), `acks=${'a'.repeat(MB10)}`]) {
    await paste(page, `${lane} textarea`, text);
    await page.waitForFunction((lane) => /the block is \d+ bytes; the limit is 65536/.test(document.querySelector(`${lane} .config-error`)?.innerText), lane);
    assert.deepEqual(await logs(page), before);
    assert.match(await page.locator(`${lane} .effective`).innerText(), /acks=all/);
  }
  // Within the limit, a flood of bad lines: twenty named and the rest counted.
  await paste(page, `${lane} textarea`, 'x\n'.repeat(30_000));
  await page.waitForFunction((lane) => /29980 more lines not taken/.test(document.querySelector(`${lane} .config-error`)?.innerText), lane);
  assert.equal(await page.locator(`${lane} .config-error li`).count(), 21);
  // The page still works: a click on an arrow still changes the run.
  await page.click(`${LIVE} .lane[data-lane="0"] g[data-kind="request"] line.hit`);
  await page.waitForFunction((b) => document.querySelector('.lane[data-lane="0"] .strip').dataset.log !== b, before[0]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a 10 MB paste into the scenario import is refused with its size, and the scenario stays', async () => {
  const page = await app.page('workshop/?lang=en');
  const before = await logs(page);
  await page.click('.share-menu > summary');
  await paste(page, '#import-text', `{"messages": ["${'A'.repeat(MB10)}"]}`);
  await page.click('.share-menu .menu button:last-of-type');
  await page.waitForFunction(() => /input is \d+ bytes; the limit is 4194304 bytes/.test(document.querySelector('.banner')?.innerText));
  assert.deepEqual(await logs(page), before);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a 10 MB paste into a text control is named in the field\'s own message, and nothing changes', async () => {
  const page = await app.page('?lang=en');
  const before = await logs(page);
  for (const [field, text, message] of [
    ['#messages', 'A '.repeat(MB10 / 2), /^10000000 characters pasted; this field takes at most 98304$/],
    ['#f0-msg', 'Z'.repeat(50), /^`Z{24}…` is not one of the messages$/],
    ['#messages', 'Q'.repeat(5000), /^`Q{24}…` is longer than 16 characters$/],
  ]) {
    await paste(page, field, text);
    await page.waitForFunction(([field, source]) => new RegExp(source).test(document.querySelector(field).validationMessage), [field, message.source]);
    assert.deepEqual(await logs(page), before);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});
