// Links, embeds, exports and imports: how a view leaves the page and comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { start, logs, LIVE } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

test('the address holds the view: reload restores it, back and forward walk it', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    window.__entries = history.length;
  });
  await page.goto(app.url);
  await page.waitForSelector(`${LIVE} .lane .strip`);
  // Opening writes the view in full into the address without a history entry of its own (the
  // first Back would show the same view again).
  await page.waitForFunction(() => location.search.includes('lang='));
  const opened = await page.evaluate(() => history.length);
  assert.equal(opened, await page.evaluate(() => window.__entries));
  await page.click('button[data-act="remove-fault"][data-i="1"]');
  await page.waitForFunction(() => location.search.includes('f='));
  const link = page.url();
  assert.match(link, /f=req\.B\.1(&|$)/);
  const again = await app.page(link.slice(app.url.length));
  assert.deepEqual(await logs(again), { 0: 'A,C', 1: 'A,B,C', 2: 'A,B,C' });
  assert.equal(await page.evaluate(() => history.length), opened + 1);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="1"] .strip').dataset.log === 'A,B,B,C');
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="1"] .strip').dataset.log === 'A,B,C');
});

test('back and forward take a half-typed field back with the view, and the text typed is not applied on leaving it', async () => {
  const page = await app.page('?lang=en');
  await page.fill('#messages', 'A B C D');
  await page.locator('#messages').blur();
  await page.waitForFunction(() => new URLSearchParams(location.search).get('m') === 'A,B,C,D');
  // Typing without leaving the field, then Back.
  await page.click('#messages');
  await page.keyboard.type(' E');
  await page.goBack();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('m'));
  await page.waitForFunction(() => document.querySelector('#messages').value === 'A B C');
  await page.click('.lane h2');
  assert.equal(new URL(page.url()).searchParams.get('m'), null);
  assert.equal((await logs(page))[1], 'A,B,B,C');
  // Forward still goes to the committed edit: nothing was written over it.
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('#messages').value === 'A B C D');
  assert.deepEqual(page.errors, []);
});

test('a hand-edited, broken link names what it ignored and keeps the rest', async () => {
  const page = await app.page('?lat=abc&f=req.Z.1,ack.B.1&l2=ack:all&wat=1&seed=9&lang=en');
  const banner = await page.textContent('.banner');
  for (const want of ['`lat=abc`', 'message `Z`', 'did you mean `acks`?', 'unknown parameter `wat`']) {
    assert.ok(banner.includes(want), `banner lacks ${want}: ${banner}`);
  }
  // ack.B.1 was kept: at-least-once stores B twice, the idempotent lane once.
  const l = await logs(page);
  assert.equal(l[1], 'A,B,B,C');
  assert.equal(l[2], 'A,B,C');
  await page.click('.banner button');
  assert.equal(await page.locator('.banner').count(), 0);
});

test('an oversized link still opens', async () => {
  // Longer than the 8 KB the app reads, shorter than the 16 KB a server takes.
  const page = await app.page('?seed=5&' + 'x=1&'.repeat(2500));
  assert.match(await page.textContent('.banner'), /characters/);
  assert.equal((await logs(page))[2], 'A,B,C');
});

/** What Copy embed code gives for a view of the app: the snippet, its address and its height. */
async function embedCode(view) {
  const page = await app.page(view, { permissions: ['clipboard-read', 'clipboard-write'] });
  const button = '.share .menu button:nth-of-type(2)';
  await page.click('.share-menu > summary');
  await page.click(button);
  await page.waitForFunction((b) => document.querySelector(b).textContent.includes('✓'), button);
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  await page.close();
  return {
    snippet,
    src: snippet.match(/src="([^"]*)"/)[1].replaceAll('&amp;', '&'),
    height: Number(snippet.match(/height="(\d+)"/)[1]),
  };
}

test('the embed code puts the embed page, with its own small bundle, in a post on another origin', async () => {
  const { snippet, src } = await embedCode('?lanes=1&story=1&lang=ko');
  assert.ok(src.startsWith(`${app.url}embed/?`), `the snippet opens the embed page: ${src}`);
  assert.doesNotMatch(src, /[?&]embed(=|&|$)/, 'the embed page needs no `embed` parameter');
  const host = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>A blog post</title><p>Before</p>${snippet.replace('<iframe ', '<iframe id="viz" ')}`);
  });
  await new Promise((ok) => host.listen(0, '127.0.0.1', ok));
  try {
    const page = await app.browser.newPage({ viewport: { width: 800, height: 1000 } });
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${host.address().port}/`);
    const frame = page.frameLocator('#viz');
    await frame.locator(`${LIVE} .lane .strip`).waitFor();
    assert.equal(await frame.locator('.lane').count(), 1);
    assert.equal(await frame.locator('.lane .strip').getAttribute('data-log'), 'A,B,B,C');
    assert.equal(await frame.locator('.controls').count(), 0, 'no page chrome');
    assert.equal(await frame.locator('h1').count(), 0, 'no page chrome');
    assert.equal(await frame.locator('.lane .settings, .lane .events').count(), 0, 'no lane settings or event log');
    assert.match(await frame.locator('.narration').textContent(), /[가-힣]/);
    // The post loaded the embed page's bundle, not the app's.
    const loaded = await page.frame({ url: /\/embed\// }).evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => /\.(wasm|js)$/.test(p)),
    );
    assert.ok(loaded.some((p) => p.startsWith('/kafka-delivery/embed/') && p.endsWith('.wasm')), loaded.join(' '));
    assert.ok(loaded.every((p) => p.startsWith('/kafka-delivery/embed/')), loaded.join(' '));
    // The full app opens on the view shown, also after a reader's change in the embed (here the
    // lost ACK delivered after all: the faults are now none).
    const full = () => frame.locator('a.full-link').getAttribute('href');
    assert.equal(await full(), `${app.url}?story=1&lanes=1&lang=ko&theme=light`);
    const entries = await page.evaluate(() => history.length);
    await frame.locator('.lane g[data-msg="1"][data-kind="response"] line.hit').first().click();
    await frame.locator('.lane .strip[data-log="A,B,C"]').waitFor();
    assert.equal(await full(), `${app.url}?f=&lanes=1&lang=ko&theme=light`);
    // The change is in the embed's address, but not in the post's history: Back leaves the post.
    assert.match(await page.frame({ url: /\/embed\// }).evaluate(() => location.search), /f=&/);
    assert.equal(await page.evaluate(() => history.length), entries);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    host.close();
  }
});

test('a view with replicas embeds the app\'s own embed view: the embed page\'s engine has one broker', async () => {
  const view = 'rep=3&isr=2&f=rdown.1.0.600000,rdown.2.0.600000&lanes=1';
  const { src } = await embedCode(`?${view}&lang=en`);
  assert.ok(src.startsWith(`${app.url}?embed&`), `the snippet opens the app's embed view: ${src}`);
  assert.match(src, /rep=3/);
  // A hand-made link to the embed page with replicas goes there too, in its place, and the
  // replicas' rules run: with both followers out of the ISR, acks=all is refused (one broker
  // would have stored A, B and C).
  const page = await app.page(`embed/?${view}&lang=en`);
  assert.equal(new URL(page.url()).pathname, '/kafka-delivery/');
  assert.match(page.url(), /[?&]embed(&|$)/);
  assert.equal(await page.locator('.controls, h1').count(), 0, 'no page chrome');
  assert.equal(await page.locator('.lane .strip').getAttribute('data-log'), 'A');
  const marks = await page.$$eval('.lane text.mark', (t) => t.map((x) => x.textContent));
  assert.ok(marks.some((m) => m.startsWith('⊘ NOT_ENOUGH')), marks.join(' | '));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a producer key the embed page does not model opens the view in the app, which names a typo', async () => {
  // The embed page's engine knows the keys it models; a link with another (here a typo of
  // acks) opens in the app's embed view, which names it with a suggestion and runs the rest.
  const page = await app.page('embed/?l1=ack:1,retries:0&lanes=1&story=1&lang=en');
  assert.equal(new URL(page.url()).pathname, '/kafka-delivery/');
  assert.match(page.url(), /[?&]embed(&|$)/);
  await page.waitForSelector('.banner');
  assert.match(await page.textContent('.banner'), /lane 1: `ack` is not a producer config; did you mean `acks`\?/);
  assert.match(await page.textContent('.lane[data-lane="1"] .config'), /retries=0/);
  assert.equal(await page.locator('.controls, h1').count(), 0, 'no page chrome');
  // A modelled key stays on the embed page.
  const kept = await app.page('embed/?l1=retries:0&lanes=1&story=1&lang=en');
  assert.match(new URL(kept.url()).pathname, /\/embed\/$/);
  assert.deepEqual(page.errors.concat(kept.errors), []);
  await page.close();
  await kept.close();
});

test('the embed code is as high as the embed in a 700 px blog column: no scrollbar inside the post', async () => {
  // (The last two on the workshop page: a row of the strip for each partition.)
  const keys = 'a,b,c,d,e,f,g,h,a,b,c,d,e,f,g,h';
  for (const view of ['?story=3&lanes=1,2', '?story=1&lanes=1&lang=ko', '?lang=en', '?n=12&lanes=1,2', 'workshop/?story=7', `workshop/?n=16&parts=8&keys=${keys}&lanes=1,2`]) {
    const { src, height } = await embedCode(view);
    const embed = await app.browser.newPage({ viewport: { width: 700, height } });
    await embed.goto(src);
    await embed.waitForSelector(`${LIVE} .lane .strip`);
    const content = await embed.evaluate(() => Math.ceil(document.querySelector('.app').getBoundingClientRect().bottom));
    assert.ok(content <= height, `${view}: the embed is ${content}px high, the snippet ${height}px`);
    assert.ok(height - content <= 120, `${view}: ${height - content}px left empty under the embed`);
    await embed.close();
  }
});

test('an embed can keep playback within a range of story steps', async () => {
  const page = await app.page('?embed&story=3&from=3&to=5&lanes=2');
  const step = () => page.textContent('.step-no');
  assert.match(await step(), /Step 4\/7/);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert.match(await step(), /Step 6\/7/);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  assert.match(await step(), /Step 4\/7/);
  assert.equal(await page.getAttribute('#scrub', 'min'), '3');
  assert.equal(await page.getAttribute('#scrub', 'max'), '5');
  // Stepping rewrote the address; the embed stays an embed.
  assert.match(page.url(), /[?&]embed(&|$)/);
  assert.equal(await page.locator('.controls').count(), 0);
  await page.click('.lane g[data-msg="0"][data-kind="request"] line.hit');
  assert.equal(await page.locator('.controls').count(), 0);
});

test('the app share menu sends files to the workshop page with the view; there the timeline exports as SVG and the trace as JSON', async () => {
  const app0 = await app.page('?story=1&lang=en');
  await app0.click('.share-menu > summary');
  const href = await app0.getAttribute('.share-menu .files-link', 'href');
  assert.match(href, /\/workshop\/\?story=1&lang=en&theme=light#import-text$/);
  assert.equal(await app0.locator('#import-text').count(), 0, 'no import on the app itself');
  await app0.close();
  const page = await app.page('workshop/');
  await page.click('.share-menu > summary');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('text=Export SVG')]);
  const text = readFileSync(await svg.path(), 'utf8');
  assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(text.includes('off 2 dup'), 'the duplicate is marked');
  assert.ok(text.includes('≡ dup → off 1'), 'the dedup decision is drawn');
  // The file draws exactly the arrows the screen does.
  const onScreen = await page.$$eval('.diagram', (ds) => ds.map((d) => Number(d.dataset.arrows)).reduce((a, b) => a + b));
  assert.equal(text.match(/<g class="arrow /g).length, onScreen);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('text=Export trace JSON')]);
  const data = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.deepEqual(data.lanes.map((l) => l.result.log.map((r) => r.message).join(',')), ['A,C', 'A,B,B,C', 'A,B,C']);
  assert.equal(data.scenario.faults.length, 2);
  assert.ok(data.lanes[2].result.events.every((e) => typeof e.t_ms === 'number'));
});

test('a scenario imports by paste on the workshop page, and a bad one is named without losing the view', async () => {
  const page = await app.page('workshop/');
  await page.click('.share-menu > summary');
  const story1 = readFileSync('scenarios/story-1-at-least-once.json', 'utf8');
  await page.fill('#import-text', story1);
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="0"] .strip').dataset.log === 'A,B,C');
  assert.deepEqual(await logs(page), { 0: 'A,B,C', 1: 'A,B,B,C', 2: 'A,B,C' });
  await page.fill('#import-text', '{"messages": ["A", "B"], "faults": [{"kind": "drop_response", "message": "Z"}]}');
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForSelector('.banner');
  assert.match(await page.textContent('.banner'), /`faults\[0\]\.message` is `Z`/);
  // About the pasted file, not the link.
  assert.equal(await page.textContent('.banner strong'), 'Note:');
  assert.deepEqual(await logs(page), { 0: 'A,B,C', 1: 'A,B,B,C', 2: 'A,B,C' }, 'nothing lost');
  await page.fill('#import-text', '{"messages": [');
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForFunction(() => /invalid JSON/.test(document.querySelector('.banner')?.textContent ?? ''));
  // A key given twice is named (the second would silently replace the first), by line.
  await page.fill('#import-text', '{"messages": ["A", "B"],\n "messages": ["C"]}');
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForFunction(() => /line 2, column \d+: duplicate key `messages`/.test(document.querySelector('.banner')?.textContent ?? ''));
  assert.deepEqual(await logs(page), { 0: 'A,B,C', 1: 'A,B,B,C', 2: 'A,B,C' }, 'nothing lost');
});

test('the scenario of an exported trace imports back to the same lanes', async () => {
  const page = await app.page('workshop/?story=2');
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="0"] .strip')?.dataset.log);
  const before = await logs(page);
  await page.click('.share-menu > summary');
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('text=Export trace JSON')]);
  const data = JSON.parse(readFileSync(await json.path(), 'utf8'));
  await page.goto(page.url().replace(/\?.*/, ''));
  await page.click('.share-menu > summary');
  await page.fill('#import-text', JSON.stringify(data.scenario, null, 2));
  await page.click('.share-menu button:has-text("Import scenario")');
  await page.waitForFunction((want) => document.querySelector('.lane[data-lane="0"] .strip').dataset.log === want, before[0]);
  assert.deepEqual(await logs(page), before);
  assert.deepEqual(Object.values(before), data.lanes.map((l) => l.result.log.map((r) => r.message).join(',')));
});

test('the page loads under its Content-Security-Policy with no errors', async () => {
  const page = await app.page();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  // The page's own files, and one inline script by its hash: the first paint's (prerender.mjs).
  assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/]{43}=' 'wasm-unsafe-eval';/);
  const inline = await page.$$eval('script:not([src])', (s) => s.map((e) => e.textContent));
  assert.equal(inline.length, 1);
  const hash = createHash('sha256').update(inline[0]).digest('base64');
  assert.ok(csp.includes(`'sha256-${hash}'`), 'the policy allows that script and no other');
  assert.ok(!/unsafe-inline[^;]*script|script-src[^;]*unsafe-inline/.test(csp));
  assert.deepEqual(page.errors, []);
});

test('a refused copy says so instead of "Copied"', async () => {
  // A browser may refuse the clipboard (no permission, an iframe not allowed to): the button
  // says what the clipboard answered.
  const page = await app.page('?lang=en', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.click('.share-menu > summary');
  await page.click('.share .menu button:nth-of-type(1)');
  await page.waitForFunction(() => document.querySelector('.share .menu button').textContent.includes('✓ Copied'));
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await page.click('.share .menu button:nth-of-type(2)');
  const embed = '.share .menu button:nth-of-type(2)';
  await page.waitForFunction((b) => document.querySelector(b).textContent.includes('✗'), embed);
  assert.match(await page.textContent(embed), /the browser refused to copy/);
  assert.doesNotMatch(await page.textContent(embed), /Copied/);
  assert.deepEqual(page.errors, []);
});
