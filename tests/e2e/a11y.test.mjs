// Accessibility checked, not assumed: axe-core on the app, the embed page and the workshop page,
// light and dark, at 1280 and 375 px, finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

test('axe finds no serious or critical violation on any page, theme or width', async () => {
  const found = [];
  for (const page of ['?lang=en', '?lang=ko&story=3&step=3', 'embed/?lang=en&lanes=1,2', 'workshop/?lang=en&ex=06-keep-order-with-5-in-flight']) {
    for (const [width, scheme] of [[1280, 'light'], [1280, 'dark'], [375, 'light'], [375, 'dark']]) {
      // The pages' Content-Security-Policy allows their own scripts only: the test's context
      // lets axe in.
      const p = await app.page(page, { viewport: { width, height: 900 }, colorScheme: scheme, bypassCSP: true });
      await p.waitForSelector('.lane svg.diagram');
      await p.addScriptTag({ content: AXE });
      const violations = await p.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`);
      });
      for (const v of violations) found.push(`${page} ${width} ${scheme}: ${v}`);
      assert.deepEqual(p.errors, [], `${page} ${width} ${scheme}`);
      await p.close();
    }
  }
  assert.deepEqual(found, []);
});
