// The first paint (build/prerender.mjs, build/post-build.mjs): the default view is on screen from
// the HTML alone, in the reader's language and theme; the app takes its place without a frame
// that shows both, or neither, or a different layout; a link to another view never shows the
// prerendered lanes.
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

/// The page as a reader sees it before the WebAssembly has run: the module is never fetched.
async function withoutWasm(path, options = {}) {
  const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && !/wasm|Failed to load|ERR_FAILED/i.test(m.text()) && errors.push(m.text()));
  await page.route(/\.wasm$/, (r) => r.abort());
  await page.goto(app.url + path);
  await page.waitForLoadState('load');
  const shown = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    theme: document.documentElement.dataset.theme,
    views: [...document.querySelectorAll('.pre')].filter((p) => p.checkVisibility()).map((p) => p.className),
    lanes: [...document.querySelectorAll('.pre .lane')].filter((l) => l.checkVisibility()).map((l) => l.querySelector('h2').textContent),
    arrows: [...document.querySelectorAll('.pre .lane svg.diagram g.arrow')].filter((a) => a.checkVisibility()).length,
    ids: document.querySelectorAll('.pre [id]').length,
    inert: [...document.querySelectorAll('.pre')].every((p) => p.inert),
  }));
  await ctx.close();
  return { ...shown, errors };
}

test('before the app runs, the default view is on screen in the reader\'s language and theme', async () => {
  for (const [path, options, lang, theme] of [
    ['', {}, 'en', 'light'],
    ['', { locale: 'ko-KR', colorScheme: 'dark' }, 'ko', 'dark'],
    ['?lang=ko&theme=light', { colorScheme: 'dark' }, 'ko', 'light'],
    ['embed/?lang=en&theme=dark', { locale: 'ko-KR' }, 'en', 'dark'],
    ['embed/', { locale: 'ko-KR' }, 'ko', 'light'],
  ]) {
    const s = await withoutWasm(path, options);
    const what = `${path || '(app)'} ${JSON.stringify(options)}`;
    assert.deepEqual(s.views, [`pre pre-${lang}`], `${what}: one prerendered view, in ${lang}`);
    assert.equal(s.lang, lang, what);
    assert.equal(s.theme, theme, what);
    assert.deepEqual(s.lanes, lang === 'ko' ? ['최대 한 번', '적어도 한 번', '중복 없는 전송 (멱등성)'] : ['at-most-once', 'at-least-once', 'exactly-once (idempotent)'], what);
    assert.ok(s.arrows >= 20, `${what}: ${s.arrows} arrows drawn`);
    assert.equal(s.ids, 0, `${what}: the picture repeats no id of the live app`);
    assert.ok(s.inert, `${what}: the picture is inert (no focus, not read out)`);
    assert.deepEqual(s.errors, [], `${what}: the inline script is allowed by the page's policy`);
  }
});

test('a link to another view shows a neutral frame, never the prerendered lanes', async () => {
  for (const path of ['?story=3', 'embed/?lanes=1', '?step=2&lang=en', 'embed/?n=40', '?m=%ED%95%9C,B', '?seed=&&&', '?lang=en&x']) {
    const s = await withoutWasm(path);
    assert.deepEqual(s.views, [], `${path}: no prerendered view shown`);
    assert.equal(s.arrows, 0, path);
  }
});

test('the app takes the picture\'s place in one step, at the same size, with the same lanes', async () => {
  for (const path of ['?lang=en', 'embed/?lang=ko']) {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Every frame from the start: is the picture shown, is the live app there? And the lanes
    // of the picture as painted, at the moment the app first draws (before the loader removes
    // the picture: observers run in the order they were made), next to the app's lanes as its
    // first frame lays them out.
    await page.addInitScript(() => {
      window.__frames = [];
      const frame = () => {
        const pre = [...document.querySelectorAll('.pre')].some((p) => p.checkVisibility());
        const live = !!document.querySelector('#root > .app');
        window.__frames.push(`${pre ? 'picture' : ''}${pre && live ? '+' : ''}${live ? 'app' : ''}` || 'nothing');
        if (!live || window.__frames.length < 5) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const describe = (app) =>
        [...app.querySelectorAll('.lane')].map((l) => {
          const r = l.getBoundingClientRect();
          return {
            name: l.querySelector('h2').textContent,
            size: `${Math.round(r.width)}x${Math.round(r.height)}`,
            arrows: l.querySelectorAll('svg.diagram g.arrow').length,
            log: [...l.querySelectorAll('.strip .rec .name')].map((r) => r.textContent).join(' '),
          };
        });
      document.addEventListener('DOMContentLoaded', () => {
        new MutationObserver((_, o) => {
          o.disconnect();
          const lang = document.documentElement.lang;
          const picture = describe(document.querySelector(`.pre-${lang} .app`));
          requestAnimationFrame(() => setTimeout(() => {
            window.__handover = { picture, app: describe(document.querySelector('#root > .app')) };
          }));
        }).observe(document.getElementById('root'), { childList: true });
      });
    });
    await page.goto(app.url + path);
    await page.waitForSelector(`${LIVE} .lane .strip`);
    await page.waitForFunction(() => window.__frames.at(-1) === 'app' && window.__frames.length >= 5 && window.__handover);
    const { frames, handover } = await page.evaluate(() => ({ frames: window.__frames, handover: window.__handover }));
    // Frames before the body is parsed show nothing yet (the browser's own blank page).
    const from = frames.indexOf('picture');
    const seen = frames.slice(from).filter((f, i, all) => f !== all[i - 1]);
    assert.deepEqual(seen, ['picture', 'app'], `${path}: frames ${frames.join(', ')}`);
    assert.equal(handover.app.length, 3, path);
    assert.deepEqual(handover.picture, handover.app, `${path}: the picture is the app's own drawing`);
    assert.equal(await page.locator('.pre').count(), 0, `${path}: the picture is gone`);
    assert.equal(await page.evaluate(() => new Set([...document.querySelectorAll('[id]')].map((e) => e.id)).size === document.querySelectorAll('[id]').length), true, `${path}: ids unique`);
    await page.close();
  }
});
