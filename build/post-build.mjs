// Trunk post-build hook, run on the staging directory:
// 1. minifies the JavaScript (wasm-bindgen's glue) with terser, and gives the names the glue and
//    the wasm module call each other by short names (see short-names.mjs);
// 2. replaces Trunk's inline module loader with ours, in its own file (the
//    Content-Security-Policy allows the app's own files), which hands the screen over from the
//    prerendered view (build/prerender.mjs, run after all pages are built) to the app;
// 3. recomputes the subresource-integrity hashes of what changed;
// 4. on the embed page (EMBED_PAGE=1, see ./x build): drops the chrome's styles (chrome.css),
//    which style nothing an embed shows;
// 5. on the workshop page (WORKSHOP_PAGE=1, see ./x build): bundles the exercises
//    (exercises/*.json, in file-name order) into exercises.json, which the app fetches when an
//    exercise is opened (adding an exercise is adding a file), and links the exercises' styles.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';
import { shortenNames } from './short-names.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run through trunk build');
const indexPath = join(dir, 'index.html');
let html = await readFile(indexPath, 'utf8');

const sri = (buf) => 'sha384-' + createHash('sha384').update(buf).digest('base64');
const terse = async (code) =>
  (await minify(code, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } })).code;

const integrity = (file, content) => {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Minified HTML may leave attribute values unquoted.
  html = html.replace(
    new RegExp(`(href="?\\./${escaped}"?[^>]*?integrity=)("?)[^" >]+\\2`),
    `$1$2${sri(content)}$2`,
  );
};

const files = await readdir(dir);
for (const f of files) {
  if (!f.endsWith('.js')) continue;
  let code = await terse(await readFile(join(dir, f), 'utf8'));
  const wasmFile = f.replace(/\.js$/, '_bg.wasm');
  if (files.includes(wasmFile)) {
    const short = shortenNames(await readFile(join(dir, wasmFile)), code);
    code = short.js;
    await writeFile(join(dir, wasmFile), short.wasm);
    integrity(wasmFile, short.wasm);
  }
  await writeFile(join(dir, f), code);
  integrity(f, code);
}

const re = /<script type="?module"?>([\s\S]*?)<\/script>/;
const m = html.match(re);
if (!m) throw new Error('no inline module script in index.html');
// The prerendered view (prerender.mjs) on screen before the app starts: compiling the module
// and the first render are a long task that would hold up its presentation. The browser records
// that paint (its largest-contentful-paint entry) only once it is presented, and forgets it if
// the view is gone by then: so the app starts when the entry is in (a frame or two; at most
// 300 ms), or after the first frame where there is no prerendered view to wait for.
// The app renders into #root, below the picture; when its first drawing is in the page (one
// task: Yew renders and runs its effects in one go), the picture goes, before the browser paints
// again: a reader never sees both, nor neither.
// Trunk's loader names the glue and the module; ours starts them (nothing here listens for
// Trunk's start event or reads its window.wasmBindings).
const glue = m[1].match(/from\s*['"]([^'"]+\.js)['"]/)?.[1];
const wasm = m[1].match(/module_or_path:\s*['"]([^'"]+\.wasm)['"]/)?.[1];
if (!glue || !wasm) throw new Error(`Trunk's loader changed: ${m[1]}`);
const loader = `
import init from ${JSON.stringify(glue)};
const shown = document.querySelector('html:not(.pre-off) .pre');
await new Promise((r) => {
  if (shown && PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint')) {
    new PerformanceObserver((_, o) => { o.disconnect(); r(); }).observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(r, 300);
  } else requestAnimationFrame(() => setTimeout(r));
});
const root = document.getElementById('root');
if (root) new MutationObserver((_, o) => {
  o.disconnect();
  for (const p of document.querySelectorAll('.pre')) p.remove();
}).observe(root, { childList: true });
await init({ module_or_path: ${JSON.stringify(wasm)} });
`;
const boot = await terse(loader);
const name = `boot-${createHash('sha256').update(boot).digest('hex').slice(0, 16)}.js`;
await writeFile(join(dir, name), boot);
html = html.replace(re, `<script type="module" src="./${name}" integrity="${sri(boot)}"></script>`);
if (process.env.EMBED_PAGE === '1') {
  const link = /<link [^>]*href="?\.\/(chrome-[0-9a-f]+\.css)"?[^>]*>/;
  const found = html.match(link);
  if (!found) throw new Error('no chrome.css link in index.html');
  html = html.replace(link, '');
  await rm(join(dir, found[1]));
}
if (process.env.WORKSHOP_PAGE === '1') {
  const root = process.env.TRUNK_SOURCE_DIR ?? '.';
  const css = await readFile(join(root, 'static', 'workshop.css'));
  const cssName = `workshop-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  await writeFile(join(dir, cssName), css);
  html = html.replace('</head>', `<link rel="stylesheet" href="./${cssName}" integrity="${sri(css)}"></head>`);

  const src = join(root, 'exercises');
  const bundle = [];
  for (const f of (await readdir(src)).filter((f) => f.endsWith('.json')).sort()) {
    const text = await readFile(join(src, f), 'utf8');
    let exercise;
    try {
      exercise = JSON.parse(text);
    } catch (e) {
      throw new Error(`exercises/${f}: ${e.message}`);
    }
    bundle.push({ id: f.slice(0, -'.json'.length), exercise });
  }
  await writeFile(join(dir, 'exercises.json'), JSON.stringify(bundle));
}
await writeFile(indexPath, html);
