// Weighing a change to the first paint: two builds of a page loaded in turns, as the benchmark
// loads them (paint.mjs: fresh contexts, the same static server), with the medians and spreads
// of first and largest paint. Runs of one build on this machine differ by ±50 ms, so a change
// is worth keeping only if it moves the medians of many runs by more than that.
//
// Usage: node tests/e2e/paint-ab.mjs RUNS DIST_A DIST_B [PATH] [phone]
//   e.g. cp -r dist /tmp/a; (edit /tmp/a/embed/index.html); node tests/e2e/paint-ab.mjs 11 dist /tmp/a embed/
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { launchOptions } from './browser.mjs';
import { load, median, ARROWS, LANES, PROFILES } from './paint.mjs';

const [runs, a, b, path = '', phone] = process.argv.slice(2);
if (!b) {
  console.error('usage: node tests/e2e/paint-ab.mjs RUNS DIST_A DIST_B [PATH] [phone]');
  process.exit(2);
}
const profile = phone ? Object.values(PROFILES).find(Boolean) : null;
const builds = await Promise.all([a, b].map(async (dir) => ({ dir, server: await serve(dir, 0, '/kafka-delivery/'), loads: [] })));
const browser = await chromium.launch(launchOptions());
try {
  // One load of each first, not counted: the browser's own caches warm.
  for (let i = -1; i < Number(runs); i++) {
    for (const build of builds) {
      const m = await load(browser, `http://127.0.0.1:${build.server.address().port}/kafka-delivery/${path}`, ARROWS, LANES, profile);
      if (i >= 0) build.loads.push(m);
    }
  }
} finally {
  await browser.close();
  for (const { server } of builds) server.close();
}
const ms = (xs) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
for (const { dir, loads } of builds) {
  console.log(`${dir}: first paint ${ms(loads.map((m) => m.fcp))}, largest ${ms(loads.map((m) => m.lcp))}, live app ${ms(loads.map((m) => m.live))}`);
}
