// What a reader sees first, measured against RaftScope (tests/peers/raftscope) in the same run:
// the app, the embed page and the peer, each served from a sub-path by the same static server,
// loaded in turns in fresh browser contexts (no cache), on two profiles: this machine as is,
// and Lighthouse's mobile profile (150 ms round trip, 1.6 Mbit/s, a CPU four times slower).
//
// Per load: first contentful paint and the last largest-contentful-paint entry (Chromium's
// PerformanceObserver), the moment the first lane's arrows exist (RaftScope: its servers), the
// moment the live app has drawn its lanes (the reader can click), bytes received. Medians and
// spreads, and the ratios ours / RaftScope's that the budgets are written in.
//
// Used by bench.mjs; alone: node tests/e2e/paint.mjs [runs]
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { launchOptions } from './browser.mjs';

export const PEER_DIR = 'tests/peers/raftscope';

export const PROFILES = {
  'this machine': null,
  'mobile (150 ms, 1.6 Mbit/s, CPU ×4)': { latency: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8, cpu: 4 },
};

// Arrows on screen: the live app's, or the prerendered view's where the page shows it (the
// reader's language; not for another view). The live app: its lanes' logs.
export const ARROWS = ['#root', 'html:not(.pre-off):not([lang=ko]) .pre-en', 'html[lang=ko]:not(.pre-off) .pre-ko']
  .map((at) => `${at} .lane svg.diagram g.arrow`)
  .join(', ');
export const LANES = '#root .lane .strip';

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/// One load of `url`: the figures above. `drawn` is the selector whose first match marks the
/// picture's content (our arrows, RaftScope's servers); `live`, ours only, the live app's lanes.
export async function load(browser, url, drawn, live, profile) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  if (profile) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: profile.latency, downloadThroughput: profile.down, uploadThroughput: profile.up });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  }
  await page.addInitScript(([drawn, live]) => {
    window.__m = { lcp: 0 };
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__m.lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new MutationObserver((_, o) => {
      const m = window.__m;
      if (!m.drawn && document.querySelector(drawn)) m.drawn = performance.now();
      if (!m.live && document.querySelector(live)) m.live = performance.now();
      if (m.drawn && m.live) o.disconnect();
    }).observe(document, { subtree: true, childList: true });
  }, [drawn, live ?? drawn]);
  await page.goto(url, { timeout: 60_000 });
  await page.waitForFunction(() => window.__m.live && performance.getEntriesByName('first-contentful-paint').length, null, { timeout: 60_000 });
  // LCP entries come after their frame is presented: two more frames and a task.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
  const m = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
    lcp: window.__m.lcp,
    drawn: window.__m.drawn,
    live: window.__m.live,
    kb: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((a, r) => a + r.transferSize, 0) / 1024,
  }));
  await ctx.close();
  return m;
}

/// Runs every page `runs` times in turns on each profile; returns, per profile, per page, the
/// lists of figures.
export async function measure(runs, { dist = 'dist', peer = PEER_DIR } = {}) {
  const ours = await serve(dist, 0, '/kafka-delivery/');
  const theirs = await serve(peer, 0, '/raftscope/');
  const base = `http://127.0.0.1:${ours.address().port}/kafka-delivery/`;
  const pages = {
    app: [base, ARROWS, LANES],
    'embed page': [`${base}embed/`, ARROWS, LANES],
    // An embed of another view (a story, a step): the prerendered lanes are not its lanes, so
    // the page shows a neutral frame until the app has drawn the right ones.
    'embed page, another view': [`${base}embed/?story=3`, ARROWS, LANES],
    RaftScope: [`http://127.0.0.1:${theirs.address().port}/raftscope/`, '#servers circle'],
  };
  const browser = await chromium.launch(launchOptions());
  const out = {};
  try {
    for (const [name, profile] of Object.entries(PROFILES)) {
      const res = (out[name] = Object.fromEntries(Object.keys(pages).map((k) => [k, []])));
      // One load of each page first, not counted: the browser's own caches (fonts, code) warm.
      for (const [url, drawn, live] of Object.values(pages)) await load(browser, url, drawn, live, profile);
      for (let i = 0; i < runs; i++) {
        for (const [page, [url, drawn, live]] of Object.entries(pages)) res[page].push(await load(browser, url, drawn, live, profile));
      }
    }
  } finally {
    await browser.close();
    ours.close();
    theirs.close();
  }
  return out;
}

/// Table rows for `row(figure, measured, budget, stretch, ok)` from `measure`'s result: per
/// profile and page, the figures; then the budgets as ratios to RaftScope's first paint.
export function report(out, row) {
  const ms = (xs) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
  for (const [profile, pages] of Object.entries(out)) {
    const peerFcp = median(pages.RaftScope.map((m) => m.fcp));
    for (const [page, ms_] of Object.entries(pages)) {
      const f = (k) => ms_.map((m) => m[k]);
      const parts = [`first paint ${ms(f('fcp'))}`, `largest ${ms(f('lcp'))}`, `${page === 'RaftScope' ? 'servers' : 'arrows'} ${ms(f('drawn'))}`];
      if (page !== 'RaftScope') parts.push(`live app ${ms(f('live'))}`);
      parts.push(`${median(f('kb')).toFixed(0)} KB received`);
      row(`${profile}: ${page}`, parts.join('; '), '', '', null);
    }
    for (const page of ['app', 'embed page']) {
      const fcp = median(pages[page].map((m) => m.fcp));
      const lcp = median(pages[page].map((m) => m.lcp));
      const r1 = fcp / peerFcp;
      const r2 = lcp / peerFcp;
      row(`${profile}: ${page}, first paint / RaftScope's first paint`, `${r1.toFixed(2)}×`, '≤ 0.6×', '', r1 <= 0.6);
      row(`${profile}: ${page}, lanes drawn (largest paint) / RaftScope's first paint`, `${r2.toFixed(2)}×`, '≤ 1×', '', r2 <= 1);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await measure(Number(process.argv[2] ?? 5));
  console.log('| figure | measured | budget | stretch | within budget |');
  console.log('|---|---|---|---|---|');
  report(out, (figure, measured, budget, stretch, ok) => console.log(`| ${figure} | ${measured} | ${budget} | ${stretch} | ${ok === null ? '' : ok ? 'yes' : 'no'} |`));
}
