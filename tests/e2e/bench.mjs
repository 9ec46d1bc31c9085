// The performance table: builds are measured as served (gzip, from a sub-path), in headless
// Chromium, with medians of several runs and their spread. Run through `./x bench` (it builds first).
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { launchOptions } from './browser.mjs';
import { sizes, html, BUDGET_KB } from './size.mjs';
import { measure, report } from './paint.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
// 1,000 messages 1 ms apart with 2% of requests and of ACKs lost. Each loss breaks the
// connection until request.timeout.ms, so the retrying lanes wait 300 ms, not 30 s: the run
// keeps sending to its end instead of expiring most of its records.
const BIG = '?n=1000&gap=1&sync=0&rl=2&al=2&seed=3&l1=acks:all,retries:2147483647,enable.idempotence:false,max.in.flight.requests.per.connection:5,request.timeout.ms:300&l2=acks:all,retries:2147483647,enable.idempotence:true,max.in.flight.requests.per.connection:5,request.timeout.ms:300';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
const rows = [];
const row = (figure, measured, budget, stretch, ok) => rows.push({ figure, measured, budget, stretch, ok });

// Bundle: the embed page a blog post's iframe loads, and the app (page chrome, editing, import
// and export too).
for (const [dir, what] of [['dist/embed', 'the embed page'], ['dist', 'the app']]) {
  const files = sizes(dir);
  const gz = files.reduce((a, f) => a + f.gzip, 0) / 1024;
  const br = files.reduce((a, f) => a + f.brotli, 0) / 1024;
  row(`wasm + JS + CSS, gzip (brotli): ${what}`, `${gz.toFixed(1)} KB (${br.toFixed(1)} KB)`, `${BUDGET_KB} KB`, '85 KB', gz <= BUDGET_KB);
  const h = html(dir);
  row(`its HTML besides the styles, gzip: ${what}`, `${(h.gzip / 1024).toFixed(1)} KB (the default view prerendered in ${h.views} languages)`, '', '', null);
}

// The engine's own runs build with the usual toolchain settings, not the size build's (./x build
// exports std-building flags that a native or test build must not take).
const cargoEnv = { ...process.env, CHROMEDRIVER: '/usr/bin/chromedriver' };
for (const k of ['RUSTFLAGS', 'RUSTC_BOOTSTRAP', 'CARGO_TARGET_DIR', 'CARGO_UNSTABLE_BUILD_STD', 'CARGO_UNSTABLE_BUILD_STD_FEATURES']) delete cargoEnv[k];
const failed = (run) => (run.stderr || '').trim().split('\n').slice(-3).join(' / ');

// Engine, native: the example benchmark prints its own table row.
const native = spawnSync('cargo', ['run', '--release', '-q', '-p', 'delivery-sim', '--example', 'bench'], { encoding: 'utf8', env: cargoEnv });
if (native.status !== 0) console.error(`native engine benchmark failed: ${failed(native)}`);
const nativeRate = Number((native.stdout.match(/events per second \(native\) \| ([\d.]+) M/) ?? [])[1]);
const nativeMs = Number((native.stdout.match(/three presets \| ([\d.]+) ms/) ?? [])[1]);

const server = await serve('dist', 0, '/kafka-delivery/');
const url = `http://127.0.0.1:${server.address().port}/kafka-delivery/`;
const opts = launchOptions();
opts.args.push('--enable-precise-memory-info');
const browser = await chromium.launch(opts);

// What a reader sees first, against RaftScope in the same run (paint.mjs): first and largest
// paint, arrows on screen, the live app, bytes received; on this machine and on a phone's
// profile.
report(await measure(RUNS), row);

// 1,000 messages x 3 lanes: change the seed, time until every lane's log is redrawn (DOM
// patched, style and layout done), and until the next frame is on screen. Each change starts
// on a settled page: the previous one painted and its deferred work done, as when a reader
// clicks, not overlapping with the last change's paint.
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(url + BIG);
await page.waitForSelector('#root .lane .strip');
const redraw = [];
const painted = [];
// Three times the runs: a change takes a fraction of a second, and this figure is the noisiest.
for (let i = 0; i < 3 * RUNS; i++) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
  const [ms, frame] = await page.evaluate(
    (seed) =>
      new Promise((done) => {
        const strips = () => [...document.querySelectorAll('.lane .strip')].map((s) => s.dataset.log).join('|');
        const before = strips();
        const input = document.getElementById('seed');
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (strips() !== before) {
            obs.disconnect();
            document.body.offsetHeight; // include style and layout
            const t1 = performance.now() - t0;
            // After the next frame's paint: a task queued from requestAnimationFrame.
            requestAnimationFrame(() => {
              const ch = new MessageChannel();
              ch.port1.onmessage = () => done([t1, performance.now() - t0]);
              ch.port2.postMessage(0);
            });
          }
        });
        obs.observe(document.body, { subtree: true, attributes: true, childList: true });
        input.value = String(seed);
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }),
    100 + i,
  );
  redraw.push(ms);
  painted.push(frame);
}
row(
  'toggle a fault to all lanes redrawn, 1,000 messages x 3 lanes',
  `${median(redraw).toFixed(1)} ms (${spread(redraw)}); on screen after ${median(painted).toFixed(0)} ms`,
  '40 ms',
  '16 ms',
  median(redraw) <= 40,
);

// Engine in wasm: the engine's own wasm test prints its rate from headless Chromium.
const wasmRun = spawnSync(
  'cargo',
  ['test', '--release', '-p', 'delivery-sim', '--target', 'wasm32-unknown-unknown', '--test', 'wasm', '--', '--nocapture', 'engine_rate'],
  { encoding: 'utf8', env: cargoEnv },
);
if (wasmRun.status !== 0) console.error(`wasm engine benchmark failed: ${failed(wasmRun)}`);
const wasmLine = (wasmRun.stdout + wasmRun.stderr).match(/wasm engine: (\d+) events in ([\d.]+) ms, ([\d.]+) M/);
const wasm = wasmLine ? { events: Number(wasmLine[1]), ms: Number(wasmLine[2]) } : { events: 0, ms: NaN };
const wasmRate = wasm.events / (wasm.ms / 1000) / 1e6;

// Playback: each step's update (handler, render, DOM patch, layout), stepping for 10 s.
const frames = await page.evaluate(async () => {
  const out = [];
  const end = performance.now() + 10_000;
  let dir = 'ArrowRight';
  while (performance.now() < end) {
    const label = document.querySelector('.step-no').textContent;
    const t0 = performance.now();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: dir, bubbles: true }));
    document.body.offsetHeight;
    out.push(performance.now() - t0);
    if (document.querySelector('.step-no').textContent === label) dir = dir === 'ArrowRight' ? 'ArrowLeft' : 'ArrowRight';
    await new Promise((r) => requestAnimationFrame(r));
  }
  return out;
});
const p95 = [...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95)];
row('playback frame time p95 over 10 s', `${p95.toFixed(1)} ms (${frames.length} frames)`, '8 ms', '4 ms', p95 <= 8);

// Break it: all lanes, A, B, C one at a time, every script of up to three faults (the budget is
// for up to two: this figure covers more), as the page reports it after each search.
{
  const small = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await small.goto(`${url}workshop/?lang=en`);
  await small.waitForSelector('#root .lane .strip');
  const searches = [];
  let scripts = 0;
  for (let i = 0; i < RUNS; i++) {
    await small.click('.break .break-buttons .primary');
    await small.waitForFunction(() => !document.querySelector('.break .primary').disabled && /in \d+ ms/.test(document.querySelector('.break-status').textContent));
    const [, n, ms] = (await small.textContent('.break-status')).match(/([\d,]+) scripts tried in (\d+) ms/);
    scripts = Number(n.replace(/,/g, ''));
    searches.push(Number(ms));
  }
  row(`break it, all lanes, A B C: every script up to 3 faults (${scripts})`, `${median(searches).toFixed(0)} ms (${spread(searches)})`, '200 ms (up to 2 faults)', '', median(searches) <= 200);
  await small.close();
}

const heap = await page.evaluate(() => performance.memory.usedJSHeapSize / 1024 / 1024);
row('JS heap after a 1,000-message run', `${heap.toFixed(1)} MB`, '10 MB', '5 MB', heap <= 10);
// Scrolling a 1,000-message lane by 20 px a frame (1,200 px/s) for 3 s: the frame interval
// (a 60 Hz display: 16.7 ms a frame, longer when one is dropped) and how often the lane drew
// itself anew on the way (each third of the margin scrolled).
const scroll = await page.evaluate(
  () =>
    new Promise((done) => {
      const s = document.querySelectorAll('.diagram-scroll')[1];
      // One callback per render that changed the drawing (tiles added and dropped).
      let redraws = 0;
      const obs = new MutationObserver(() => redraws++);
      obs.observe(s.querySelector('.diagram-box'), { childList: true, subtree: true });
      const gaps = [];
      let last = performance.now();
      const t0 = last;
      const step = (t) => {
        gaps.push(t - last);
        last = t;
        s.scrollTop -= 20;
        if (t - t0 < 3000) requestAnimationFrame(step);
        else {
          obs.disconnect();
          done({ gaps: gaps.slice(1), redraws });
        }
      };
      requestAnimationFrame(step);
    }),
);
const gap95 = [...scroll.gaps].sort((a, b) => a - b)[Math.floor(scroll.gaps.length * 0.95)];
row(
  'scroll a 1,000-message lane at 1,200 px/s: frame interval p95',
  `${gap95.toFixed(1)} ms (${scroll.gaps.length} frames, drawn anew ${scroll.redraws} times)`,
  '17.5 ms (no dropped frame)',
  '',
  gap95 <= 17.5,
);
row('engine events per second, native', `${nativeRate.toFixed(1)} M (1,000 msgs x 3 presets: ${nativeMs} ms)`, '5 M', '20 M', nativeRate >= 5);
row('engine events per second, wasm', `${wasmRate.toFixed(1)} M (1,000 msgs x 3 presets: ${wasm.ms} ms)`, '5 M', '20 M', wasmRate >= 5);

await browser.close();
server.close();

const date = new Date().toISOString().slice(0, 10);
console.log(`Measured ${date} on ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${RUNS} runs (redraw: ${3 * RUNS}), median (min–max):\n`);
console.log('| figure | measured | budget | stretch | within budget |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.figure} | ${r.measured} | ${r.budget} | ${r.stretch} | ${r.ok === null ? '' : r.ok ? 'yes' : 'no'} |`);
