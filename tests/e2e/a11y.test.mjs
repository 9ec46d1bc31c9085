// Accessibility checked, not assumed: axe-core on the app, the embed page and the workshop page,
// light and dark, at 1280 and 375 px, finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, breakAllLanes } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/// axe's serious and critical violations on the page as it is, one line each.
async function serious(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`);
  });
}

test('axe finds no serious or critical violation on any page, theme or width', async () => {
  const found = [];
  for (const page of ['?lang=en', '?lang=ko&story=3&step=3', 'embed/?lang=en&lanes=1,2', 'workshop/?lang=en&ex=06-keep-order-with-5-in-flight']) {
    for (const [width, scheme] of [[1280, 'light'], [1280, 'dark'], [375, 'light'], [375, 'dark']]) {
      // The pages' Content-Security-Policy allows their own scripts only: the test's context
      // lets axe in.
      const p = await app.page(page, { viewport: { width, height: 900 }, colorScheme: scheme, bypassCSP: true });
      await p.waitForSelector('.lane svg.diagram');
      const violations = await serious(p);
      for (const v of violations) found.push(`${page} ${width} ${scheme}: ${v}`);
      assert.deepEqual(p.errors, [], `${page} ${width} ${scheme}`);
      await p.close();
    }
  }
  assert.deepEqual(found, []);
});

test('axe finds nothing serious in the panels a reader opens: producer state, settings, event log, Break it results', async () => {
  const found = [];
  for (const lang of ['en', 'ko']) {
    for (const [width, scheme] of [[1280, 'dark'], [375, 'light']]) {
      const p = await app.page(`workshop/?story=3&step=5&lang=${lang}`, { viewport: { width, height: 900 }, colorScheme: scheme, bypassCSP: true });
      for (const summary of await p.$$('#root > .app .lane details > summary')) await summary.click();
      await breakAllLanes(p);
      // The producer-state table and the results are reached by keyboard: their summaries and
      // buttons take focus.
      const focusable = await p.$$eval('.pstate > summary, .break-lane .load', (els) => els.filter((e) => e.tabIndex >= 0).length);
      assert.ok(focusable >= 4, `${focusable} focusable`);
      const violations = await serious(p);
      for (const v of violations) found.push(`${lang} ${width} ${scheme}: ${v}`);
      await p.close();
    }
  }
  assert.deepEqual(found, []);
});
