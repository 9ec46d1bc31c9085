// The visualizer as a reader meets it: three lanes, the seed's lessons, clicks, keys, language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { start, logs, logText, LIVE, breakAllLanes } from './helpers.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.stop();
});

/// What the engine's CLI says for a scenario: the oracle for the page.
function engine(scenario) {
  const bin = 'target/debug/delivery-sim';
  assert.ok(existsSync(bin), `${bin} is missing: the native tests build it (cargo test)`);
  const r = spawnSync(bin, ['run', '-'], { input: JSON.stringify(scenario), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).log.map((x) => x.message).join(',');
}

test('the default page teaches all three lessons', async () => {
  const page = await app.page();
  assert.deepEqual(await logs(page), { 0: 'A,C', 1: 'A,B,B,C', 2: 'A,B,C' });
  assert.equal(await logText(page, 1), 'A B B C');
  assert.match(await page.textContent('.lane[data-lane="0"] .lesson'), /B lost/);
  assert.match(await page.textContent('.lane[data-lane="1"] .lesson'), /B stored twice/);
  assert.match(await page.textContent('.lane[data-lane="2"] .lesson'), /nothing lost, nothing twice/);
  // B's lost request is drawn ending in a cross in every lane; the dedup decision in lane 2.
  for (const lane of [0, 1, 2]) {
    const lost = await page.$$(`.lane[data-lane="${lane}"] g[data-msg="1"][data-attempt="1"][data-lost="true"] line.x`);
    assert.equal(lost.length, 2, `lane ${lane}: a cross of two strokes`);
  }
  assert.equal(await page.locator('.lane[data-lane="2"] .mark.m-dedup').count(), 1);
  assert.equal(await page.locator('.lane[data-lane="1"] .rec.dup').count(), 1);
  assert.deepEqual(page.errors, []);
});

test("turning B's lost ACK off makes at-least-once store B once", async () => {
  const page = await app.page();
  await page.click('button[data-act="remove-fault"][data-i="1"]');
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="1"] .strip').dataset.log === 'A,B,C');
  assert.deepEqual(await logs(page), { 0: 'A,C', 1: 'A,B,C', 2: 'A,B,C' });
});

test('clicking an arrow loses it, and every lane recomputes as the engine says', async () => {
  const page = await app.page();
  await page.click('.lane[data-lane="1"] g[data-msg="0"][data-attempt="1"][data-kind="response"] line.hit');
  const want = {};
  for (const [lane, mode] of ['at-most-once', 'at-least-once', 'exactly-once'].entries()) {
    want[lane] = engine({
      seed: 7,
      messages: ['A', 'B', 'C'],
      sync: true,
      mode,
      faults: [
        { kind: 'drop_request', message: 'B', attempt: 1 },
        { kind: 'drop_response', message: 'B', attempt: 2 },
        { kind: 'drop_response', message: 'A', attempt: 1 },
      ],
    });
  }
  await page.waitForFunction((w) => document.querySelector('.lane[data-lane="1"] .strip').dataset.log === w, want[1]);
  assert.deepEqual(await logs(page), want);
  assert.equal(want[1], 'A,A,B,B,C');
  // The new fault shows in the fault list; clicking the lost arrow delivers it again.
  assert.equal(await page.locator('.faults li').count(), 3);
  await page.click('.lane[data-lane="1"] g[data-msg="0"][data-attempt="1"][data-kind="response"][data-lost="true"] line.hit');
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="1"] .strip').dataset.log === 'A,B,B,C');
});

test('the keyboard steps and plays', async () => {
  const page = await app.page();
  const step = () => page.textContent('.step-no');
  const last = await step();
  assert.match(last, /Step (\d+)\/\1/);
  await page.keyboard.press('ArrowLeft');
  const total = last.match(/\/(\d+)/)[1];
  assert.match(await step(), new RegExp(`Step ${total - 1}/${total}`));
  await page.keyboard.press('ArrowRight');
  assert.match(await step(), new RegExp(`Step ${total}/${total}`));
  // Space at the end plays from the start, and only that: the page does not scroll.
  const scrolled = () => page.evaluate(() => window.scrollY);
  assert.equal(await scrolled(), 0);
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('.playback .play', 'aria-pressed'), 'true');
  assert.equal(await scrolled(), 0);
  await page.waitForFunction(() => /Step [2-9]\//.test(document.querySelector('.step-no').textContent));
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('.playback .play', 'aria-pressed'), 'false');
  // What has not happened yet is veiled: a step back moves the veil up, over more arrows.
  const veil = () => page.$eval('.lane[data-lane="1"] .veil', (r) => Number(r.getAttribute('y')));
  const height = await page.$eval('.lane[data-lane="1"] svg.diagram', (s) => s.viewBox.baseVal.height);
  const before = await veil();
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((b) => Number(document.querySelector('.lane[data-lane="1"] .veil').getAttribute('y')) < b, before);
  assert.ok((await veil()) < height);
  assert.deepEqual(page.errors, []);
  // Only the veil, the playhead and this moment's shapes are redrawn at a step: a handful.
  assert.ok((await page.locator('.lane[data-lane="1"] .diagram-now *').count()) < 20);
  // Records stored later are drawn dashed in the log strip too (muted, still readable).
  await page.click('button[aria-label="To the start"]');
  const later = await page.$$eval('.lane[data-lane="1"] .strip > .rec', (rs) => rs.map((r) => getComputedStyle(r).borderStyle));
  assert.ok(later.every((b) => b === 'dashed'), `all records are in the future at the first step: ${later}`);
  await page.click('button[aria-label="To the end"]');
  await page.waitForFunction(() => [...document.querySelectorAll('.lane[data-lane="1"] .strip > .rec')].every((r) => getComputedStyle(r).borderStyle === 'solid'));
});

test('the language switch changes the narration and the page language', async () => {
  const page = await app.page();
  const before = await page.textContent('.narration');
  await page.click('button:has-text("한국어")');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  const after = await page.textContent('.narration');
  assert.notEqual(after, before);
  assert.match(after, /[가-힣]/);
  assert.match(await page.textContent('h1'), /카프카/);
});

test("a story is narrated step by step in sync with the timeline", async () => {
  const page = await app.page();
  await page.selectOption('#story', '3');
  await page.waitForFunction(() => /PID 0 and sequence number 0/.test(document.querySelector('.narration').textContent));
  assert.equal(await page.locator('.lane[data-lane="2"] .arrow.story').count(), 1);
  for (let i = 0; i < 5; i++) await page.click('button[aria-label="Step forward"]');
  assert.match(await page.textContent('.narration'), /last five batches/);
  assert.match(await page.textContent('.step-no'), /Step 6\/7/);
  const story = page.locator('.lane[data-lane="2"] .arrow.story');
  assert.equal(await story.getAttribute('data-attempt'), '2');
});

test('a bad setting shows Kafka\'s error in its lane and the other lanes keep working', async () => {
  const page = await app.page();
  await page.click('.lane[data-lane="2"] .settings summary');
  await page.fill('#lane2-properties', 'enable.idempotence=true\nacks=1\n');
  await page.keyboard.press('Tab');
  await page.waitForSelector('.lane[data-lane="2"] .cannot-run');
  assert.match(
    await page.textContent('.lane[data-lane="2"] .cannot-run'),
    /Must set acks to all in order to use the idempotent producer/,
  );
  const l = await logs(page);
  assert.equal(l[0], 'A,C');
  assert.equal(l[1], 'A,B,B,C');
  assert.deepEqual(page.errors, []);
});

test("the seed's producer.properties block is read as Kafka reads it: its comments are values, its `ack` no key", async () => {
  const page = await app.page();
  await page.click('.lane[data-lane="1"] .settings summary');
  const seed = 'enable.idempotence=true\nmax.in.flight.requests.per.connection=5 # 5 이하로 설정\nack=all\nretries=5 # 0보다 큰 값\n';
  const enter = async (block) => {
    await page.fill('#lane1-properties', block);
    await page.keyboard.press('Tab');
  };
  await enter(seed);
  await page.waitForSelector('.lane[data-lane="1"] .config-error ul');
  assert.match(await page.textContent('.lane[data-lane="1"] .config-error ul'), /`ack` is not a producer config; did you mean `acks`\?/);
  // A .properties value runs to the end of its line: Kafka refuses "5 # 0보다 큰 값".
  await page.waitForSelector('.lane[data-lane="1"] .cannot-run');
  assert.match(
    await page.textContent('.lane[data-lane="1"] .cannot-run'),
    /Invalid value 5 # 0보다 큰 값 for configuration retries: Not a number of type INT/,
  );
  // Without the comments the rest of the block is taken: the lane is now idempotent and
  // stores B once.
  await enter(seed.replace(' # 5 이하로 설정', '').replace(' # 0보다 큰 값', ''));
  await page.waitForFunction(() => document.querySelector('.lane[data-lane="1"] .strip')?.dataset.log === 'A,B,C');
  assert.match(await page.textContent('.lane[data-lane="1"] .config'), /idempotence=on/);
  assert.deepEqual(page.errors, []);
});

test('a struck-out or underlined label has no halo: its stroke would erase the glyphs', async () => {
  // Chromium paints a text decoration with the text's stroke too: a lost request's "B" under
  // a 3 px halo read as "≘".
  const page = await app.page('?lang=en&story=1&step=3');
  const stroke = (sel) => page.$$eval(sel, (ts) => ts.map((t) => getComputedStyle(t).stroke));
  const lost = await stroke('.lane .arrow.lost text');
  const story = await stroke('.lane .arrow.story text');
  const plain = await stroke('.lane .arrow:not(.lost):not(.story) text');
  assert.ok(lost.length > 0 && story.length > 0 && plain.length > 0, `${lost.length} lost, ${story.length} story, ${plain.length} plain labels`);
  assert.deepEqual([...new Set(lost.concat(story))], ['none']);
  assert.ok(plain.every((s) => s !== 'none'), 'the other labels keep their halo over the lines they cross');
  const deco = await page.$$eval('.lane .arrow.lost text', (ts) => ts.map((t) => getComputedStyle(t).textDecorationLine));
  assert.ok(deco.every((d) => d.includes('line-through')));
  assert.deepEqual(page.errors, []);
});

test("a story told in a lane not shown still steps through its sentences", async () => {
  // Hidden lanes are not run, except those a story's steps are about.
  const told = async (query) => {
    const page = await app.page(query);
    await page.click('button[aria-label="Step forward"]');
    const said = { step: await page.textContent('.step-no'), text: await page.textContent('.narration .say') };
    assert.equal(await page.locator('.narration .say strong').count(), 0, 'the story speaks, not the lanes');
    assert.deepEqual(page.errors, []);
    await page.close();
    return said;
  };
  const shown = await told('?story=3&lang=en');
  assert.deepEqual(await told('?story=3&lanes=0&lang=en'), shown);
});

test('what a reader is typing survives every render until they commit it', async () => {
  // Yew writes an input's `value` whenever it differs from the field's text, so any render (a
  // hover, a playback tick, the deferred second drawing after a change) used to put the old
  // value back under the reader's fingers.
  const page = await app.page('?lang=en');
  await page.click('.lane[data-lane="1"] .settings summary');
  const typing = [
    ['#seed', (v) => v + '123'],
    ['#messages', (v) => v + ' D'],
    ['#lane1-properties', (v) => v + 'linger.ms=5\n'],
  ];
  for (const [sel, edit] of typing) {
    const before = await page.inputValue(sel);
    await page.fill(sel, edit(before));
    // A render while the field holds the reader's text: hovering an arrow focuses it.
    for (const req of ['1', '2']) {
      await page.hover(`.lane[data-lane="0"] svg.diagram:not(.diagram-now) g.arrow[data-req="${req}"]`);
      await page.waitForSelector(`.lane[data-lane="0"] .diagram-now g.focus[data-req="${req}"]`);
    }
    assert.equal(await page.inputValue(sel), edit(before), `${sel} kept what was typed`);
  }
  // Playback renders every tick: typing into the seed while it plays.
  await page.fill('#seed', '7');
  await page.press('#seed', 'Enter');
  await page.click('button[aria-label="Step back"]');
  await page.click('button[aria-label="Play"]');
  await page.click('#seed');
  await page.keyboard.press('End');
  const at = await page.inputValue('#scrub');
  await page.keyboard.type('9');
  await page.waitForFunction((a) => document.getElementById('scrub').value !== a, at);
  await page.keyboard.type('1');
  assert.equal(await page.inputValue('#seed'), '791');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => /[?&]seed=791(&|$)/.test(location.search));
  assert.deepEqual(page.errors, []);
});

test('at 375 px the lanes stack and nothing scrolls sideways', async () => {
  const page = await app.page('', { viewport: { width: 375, height: 800 } });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `page is ${width}px wide`);
  const xs = await page.$$eval('.lane', (ls) => ls.map((l) => l.getBoundingClientRect().x));
  assert.equal(new Set(xs.map(Math.round)).size, 1, 'lanes share one column');
  // Nothing sticks out of its card either (a long error code in the notes did).
  const over = await page.$$eval('#root > .app :is(section, article, aside, li, p):not(.sr-only)', (cards) =>
    cards.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => `${c.className}: ${c.scrollWidth} > ${c.clientWidth}`),
  );
  assert.deepEqual(over, []);
});

test('at 375 px, with every panel open and Break it run, nothing sticks out, in both languages', async () => {
  // The app, with its link to Break it, and the workshop page, where Break it runs.
  for (const [lang, at] of [['en', ''], ['ko', ''], ['en', 'workshop/'], ['ko', 'workshop/']]) {
    const page = await app.page(`${at}?story=3&step=5&lang=${lang}`, { viewport: { width: 375, height: 800 } });
    for (const summary of await page.$$(`${LIVE} .lane details > summary`)) await summary.click();
    if (at) await breakAllLanes(page);
    const over = await page.$$eval('#root > .app :is(section, article, aside, li, p, dl, table, details):not(.sr-only)', (els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.tagName}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`),
    );
    assert.deepEqual(over, [], `${at} ${lang}`);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 375);
    if (lang === 'ko') {
      // Korean wraps between words, as Korean print does: no line ends between two syllables
      // of one word.
      const { split, wrapped } = await page.evaluate(() => {
        const hangul = /[\uac00-\ud7a3]/;
        const top = (node, i) => {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + 1);
          return r.getClientRects()[0]?.top;
        };
        const split = [];
        let wrapped = 0;
        const walk = document.createTreeWalker(document.querySelector('#root > .app'), NodeFilter.SHOW_TEXT);
        for (let n; (n = walk.nextNode()); ) {
          if (n.parentElement.closest('svg, .sr-only') || !n.parentElement.checkVisibility()) continue;
          const t = n.data;
          for (let i = 1; i < t.length; i++) {
            if (!hangul.test(t[i - 1]) || !hangul.test(t[i])) continue;
            const [a, b] = [top(n, i - 1), top(n, i)];
            if (a !== undefined && b !== undefined && Math.abs(a - b) > 2) split.push(`${t.slice(Math.max(0, i - 6), i)}|${t.slice(i, i + 6)}`);
          }
          if (/[\uac00-\ud7a3] [\uac00-\ud7a3]/.test(t) && n.parentElement.getClientRects().length && n.parentElement.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(n.parentElement).lineHeight)) wrapped++;
        }
        return { split, wrapped };
      });
      assert.deepEqual(split, [], `${at}: Korean words split across lines`);
      assert.ok(wrapped > 0, `${at}: some Korean text wraps (else the check above checks nothing)`);
    }
    await page.close();
  }
});

test('in a 700 px blog column two lanes stand side by side, diagrams at a readable size', async () => {
  const page = await app.page('?embed', { viewport: { width: 700, height: 800 } });
  const boxes = await page.$$eval('.lane', (ls) => ls.map((l) => l.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width })));
  assert.equal(Math.round(boxes[0].y), Math.round(boxes[1].y), 'the first two lanes share a row');
  assert.ok(boxes[1].x > boxes[0].x + boxes[0].w - 1, 'side by side');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 700, `page is ${width}px wide`);
  // The settings line wraps between settings, never inside one ("in-" / "flight 5").
  const split = await page.$$eval('.lane .config', (ps) =>
    ps.flatMap((p) => {
      const text = p.firstChild;
      const out = [];
      for (let at = 0; at < text.length; ) {
        const end = text.data.indexOf(' · ', at) < 0 ? text.length : text.data.indexOf(' · ', at);
        const r = document.createRange();
        r.setStart(text, at);
        r.setEnd(text, end);
        if (new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size > 1) out.push(text.data.slice(at, end));
        at = end + 3;
      }
      return out;
    }),
  );
  assert.deepEqual(split, [], 'settings split across lines');
  assert.ok((await page.$$eval('.lane .config', (ps) => ps.map((p) => p.getClientRects().length && p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)))).some((lines) => lines > 1.5), 'a line that wraps (else the check above checks nothing)');
});

test('every word of every diagram lies inside its drawing, in both languages', async () => {
  // Marks have about 70 units left of the producer's lifeline and 90 right of the broker's; a
  // longer label was cut off at the diagram's edge ("✕ failed: not s" in the seed's second
  // story, "≡ dup → off 11" past offset 99, a 16-letter message name).
  const views = [
    '?story=2&step=end',
    '?f=req.B.1,ack.B.2,fail.C.1,delay.A.1.50,down.100.200,failover.300,restart.400&rep=2&step=end',
    '?n=120&al=30&seed=4&step=end&lanes=1,2',
    // Every broker error on a mark, a held request and a closed connection.
    '?m=A,B,C,D,E&f=err.A.1.NOT_ENOUGH_REPLICAS,err.B.1.CORRUPT_MESSAGE,err.C.1.NOT_LEADER_OR_FOLLOWER,req.D.1&sync=0&step=end',
    '?m=order-1234567890,가나다라마바사아자차카타파하,C&f=req.order-1234567890.1,ack.가나다라마바사아자차카타파하.1&step=end',
  ];
  for (const lang of ['en', 'ko']) {
    for (const view of views) {
      const page = await app.page(`${view}&lang=${lang}`);
      const out = await page.$$eval('svg.diagram:not(.diagram-now)', (svgs) =>
        svgs.flatMap((svg) => {
          const width = svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')]
            .map((t) => [t.textContent, t.getBBox()])
            .filter(([, b]) => b.x < 0 || b.x + b.width > width)
            .map(([text, b]) => `${text} (${Math.round(b.x)}–${Math.round(b.x + b.width)} of ${width})`);
        }),
      );
      assert.deepEqual(out, [], `${view}&lang=${lang}`);
      await page.close();
    }
  }
});

test('a lane alone in a wide view keeps its diagram at reading size, not three times it', async () => {
  const page = await app.page('embed/?lanes=1&story=1', { viewport: { width: 1280, height: 800 } });
  const lane = await page.$eval('.lane', (l) => l.getBoundingClientRect().width);
  const { box, head } = await page.$eval('.diagram-box', (b) => ({
    box: b.getBoundingClientRect().width,
    head: b.querySelector('.lifeline-head').getBoundingClientRect().height,
  }));
  assert.ok(lane > 1000, `the lane spans the view (${lane}px)`);
  assert.ok(box <= 520, `the diagram is ${box}px wide`);
  assert.ok(head < 22, `a lifeline's name is ${head}px tall`);
});

test('the event log lists every event and points at its arrow on hover', async () => {
  const page = await app.page('?lang=en');
  await page.click('.lane[data-lane="1"] .events > summary');
  const rows = page.locator('.lane[data-lane="1"] .events tbody tr');
  await rows.first().waitFor();
  const count = Number((await page.textContent('.lane[data-lane="1"] .events > summary')).match(/\((\d+)\)/)[1]);
  assert.ok((await rows.count()) > 10 && (await rows.count()) <= count);
  const row = page.locator('.lane[data-lane="1"] .events tbody tr[data-req]').nth(3);
  const req = await row.getAttribute('data-req');
  await row.hover();
  await page.waitForSelector(`.lane[data-lane="1"] svg.diagram g.arrow.focus[data-req="${req}"]`);
  assert.match(await row.getAttribute('class'), /focus/);
  // A hover redraws only the thin layer over the diagram, not the diagram itself.
  const arrow = page.locator(`.lane[data-lane="1"] svg.diagram:not(.diagram-now) g[data-req="${req}"]`).first();
  await arrow.evaluate((g) => { g.dataset.mark = 'kept'; });
  await page.locator(`.lane[data-lane="1"] .events tbody tr[data-req]:not([data-req="${req}"])`).first().hover();
  await page.waitForFunction((r) => !document.querySelector(`.lane[data-lane="1"] .diagram-now g.focus[data-req="${r}"]`), req);
  assert.equal(await page.locator(`.lane[data-lane="1"] g[data-mark="kept"]`).count(), 1);
  assert.deepEqual(page.errors, []);
});

// 1,000 messages with 2% loss; the retrying lanes time out after 300 ms, so the run sends to its
// end (with Kafka's 30 s a lost packet stalls the connection that long, and most records expire).
// 10 ms apart, wider than linger.ms: mostly a request a record, a long diagram.
const BIG = '?n=1000&gap=10&sync=0&rl=2&al=2&seed=3&l1=acks:all,retries:2147483647,enable.idempotence:false,max.in.flight.requests.per.connection:5,request.timeout.ms:300&l2=acks:all,retries:2147483647,enable.idempotence:true,max.in.flight.requests.per.connection:5,request.timeout.ms:300';

test('a change that lengthens the diagrams is painted already scrolled to its playhead', async () => {
  // Playback at the end of a long run; another seed makes every diagram longer. The drawing is
  // made for where the scroll goes, so the scroll must be there by the first frame, not a frame
  // later (that frame showed a part of the diagram that was not drawn).
  const page = await app.page(BIG);
  await page.waitForSelector('.lane .strip');
  const seen = await page.evaluate(async () => {
    const scrolls = () => [...document.querySelectorAll('.diagram-scroll')].map((e) => [e.scrollTop, e.scrollHeight]);
    const before = scrolls();
    const input = document.getElementById('seed');
    input.value = '9';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const frames = [];
    for (let k = 0; k < 3; k++) {
      await new Promise((r) => requestAnimationFrame(r));
      frames.push(scrolls());
    }
    return { before, frames };
  });
  const [first, , last] = seen.frames;
  for (let lane = 0; lane < 3; lane++) {
    assert.ok(first[lane][1] > seen.before[lane][1], `lane ${lane}: the diagram got longer`);
    assert.equal(first[lane][0], last[lane][0], `lane ${lane}: scrolled by the first frame`);
    assert.ok(first[lane][0] > seen.before[lane][0], `lane ${lane}: followed the playhead down`);
  }
  assert.deepEqual(page.errors, []);
});

test('a long diagram scrolls where the reader takes it, and is drawn wherever that is', async () => {
  // Playback at the end of a 1,000-message run. Scrolling up must not snap back to the
  // playhead, and what scrolls into view must be drawn, with a margin to scroll into.
  const page = await app.page(BIG);
  await page.waitForSelector('.lane .strip');
  // The idempotent lane: it ends last, so the run's end is in its drawing.
  const lane = page.locator('.diagram-scroll').nth(2);
  await lane.scrollIntoViewIfNeeded();
  const view = () =>
    page.evaluate(() => {
      const s = document.querySelectorAll('.diagram-scroll')[2];
      const svg = s.querySelector('svg.diagram:not(.diagram-now)');
      const scale = s.clientWidth / svg.viewBox.baseVal.width;
      const ys = [...svg.querySelectorAll('g.arrow line:not(.hit)')].flatMap((l) => [+l.getAttribute('y1'), +l.getAttribute('y2')]);
      return {
        scrollTop: s.scrollTop,
        top: s.scrollTop / scale,
        bottom: (s.scrollTop + s.clientHeight) / scale,
        drawnTop: Math.min(...ys),
        drawnBottom: Math.max(...ys),
      };
    });
  // Drawn from above the view (by a margin) to its bottom, or to the run's end when that is
  // in view. The margin comes once the first frame is on screen: wait for it (3 s at most),
  // then assert on what is there.
  const around = (v, end) => v.top - v.drawnTop > 200 && (end ? v.drawnBottom > v.top : v.drawnBottom > v.bottom);
  const drawnAround = async (what, end = false, also = () => true) => {
    let v = await view();
    for (const t0 = Date.now(); !(around(v, end) && also(v)) && Date.now() - t0 < 3000; v = await view()) {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    }
    assert.ok(v.top - v.drawnTop > 200, `${what}: drawn from a margin above the view: ${JSON.stringify(v)}`);
    assert.ok(end ? v.drawnBottom > v.top : v.drawnBottom > v.bottom, `${what}: drawn to the bottom: ${JSON.stringify(v)}`);
    return v;
  };
  // After a change (the playhead jumps to the new run's end), once it is on screen.
  await page.evaluate(() => {
    const input = document.getElementById('seed');
    input.value = '4';
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const start = await drawnAround('after a change', true);
  const box = await lane.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 10; i++) {
    const before = (await view()).scrollTop;
    await page.mouse.wheel(0, -200);
    await page.waitForFunction((b) => document.querySelectorAll('.diagram-scroll')[2].scrollTop < b, before);
  }
  const end = await drawnAround('scrolled up', false, (v) => v.scrollTop < start.scrollTop - 1500);
  // And stays there: ten frames later, after the redraws a scroll sets off, it has not snapped
  // back to the playhead.
  await page.evaluate(async () => {
    for (let i = 0; i < 10; i++) await new Promise((r) => requestAnimationFrame(r));
  });
  const later = await view();
  assert.ok(later.scrollTop < start.scrollTop - 1500, `scrolled up and stayed there: ${start.scrollTop} → ${end.scrollTop} → ${later.scrollTop}`);
  // A scroll that draws anew keeps what stays in view: the page adds the part coming in and
  // drops the part going out, not the whole drawing.
  const kept = await page.evaluate(async () => {
    const s = document.querySelectorAll('.diagram-scroll')[2];
    const arrows = () => [...s.querySelectorAll('svg.diagram:not(.diagram-now) g.arrow')];
    const before = arrows();
    before.forEach((a) => (a.seen = true));
    const top = Math.min(...before.map((a) => a.getBBox().y));
    s.scrollTop -= 300;
    // Until the drawing reaches further up (3 s at most).
    const up = () => Math.min(...arrows().map((a) => a.getBBox().y)) < top - 100;
    for (const t0 = performance.now(); !up() && performance.now() - t0 < 3000; ) {
      await new Promise((r) => requestAnimationFrame(r));
    }
    const after = arrows();
    return { top, newTop: Math.min(...after.map((a) => a.getBBox().y)), kept: after.filter((a) => a.seen).length, of: after.length };
  });
  assert.ok(kept.newTop < kept.top - 100, `drawn anew further up: ${JSON.stringify(kept)}`);
  assert.ok(kept.kept > kept.of / 2, `most of the drawing kept: ${JSON.stringify(kept)}`);
  const here = await view();
  // Losing a request there reruns everything and moves the playhead to the new end; the
  // reader stays with the arrow just clicked (lost now), where the retry can be seen.
  // A first attempt wholly in view (a click on one partly out of view would scroll to it).
  const msg = await page.evaluate(() => {
    const s = document.querySelectorAll('.diagram-scroll')[2].getBoundingClientRect();
    const arrows = [...document.querySelectorAll('.lane-2 svg.diagram:not(.diagram-now) g.arrow.req[data-attempt="1"][data-lost="false"]')];
    // Wholly in view, and not under another arrow's words: what a reader can click.
    const inside = arrows.filter((g) => {
      const r = g.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return r.top > s.top + 100 && r.bottom < s.bottom - 100 && g.contains(hit);
    });
    return inside[0]?.dataset.msg;
  });
  assert.ok(msg, 'a request wholly in view');
  const req = lane.locator(`svg.diagram:not(.diagram-now) g.arrow.req[data-msg="${msg}"][data-attempt="1"]`);
  await req.click();
  await page.waitForFunction((m) => location.search.includes(`req.m${m}.1`), msg);
  await lane.locator(`svg.diagram:not(.diagram-now) g.arrow.req[data-msg="${msg}"][data-attempt="1"][data-lost="true"]`).waitFor();
  const after = await drawnAround('after the click');
  assert.ok(Math.abs(after.scrollTop - here.scrollTop) < 50, `the view stayed: ${here.scrollTop} → ${after.scrollTop}`);
  assert.equal(
    await lane.locator(`svg.diagram:not(.diagram-now) g.arrow.req[data-msg="${msg}"][data-attempt="1"]`).getAttribute('data-lost'),
    'true',
  );
  assert.deepEqual(page.errors, []);
});

test("the moment's words are drawn exactly over the finished drawing's, not smeared beside them", async () => {
  // The thin layer repeats this moment's marks and the story's label over the base drawing;
  // with another weight or size their glyphs would not line up and both would show.
  for (const [query, lane, want] of [
    ['?story=1&step=3', '.story-lane', 'ACK 1'],
    ['?step=7', '.lane-1', 'off 1'],
  ]) {
    const page = await app.page(query);
    await page.waitForSelector('.lane .strip');
    const pairs = await page.evaluate((sel) => {
      const lane = document.querySelector(sel);
      const style = (t) => {
        const c = getComputedStyle(t);
        return `${c.fontWeight} ${c.fontSize} ${c.fontStyle}`;
      };
      return [...lane.querySelectorAll('.diagram-now text')].map((now) => {
        const base = [...lane.querySelectorAll('.diagram:not(.diagram-now) text')].find(
          (b) => b.getAttribute('x') === now.getAttribute('x') && b.getAttribute('y') === now.getAttribute('y'),
        );
        return { text: now.textContent, now: style(now), base: base && style(base) };
      });
    }, lane);
    assert.ok(pairs.some((p) => p.text.includes(want)), `${query}: ${JSON.stringify(pairs)}`);
    for (const p of pairs) assert.equal(p.now, p.base, `${query}: ${p.text}`);
    assert.deepEqual(page.errors, []);
  }
});
