// Bundle size: gzip (and brotli) bytes of a page's wasm, JS and CSS (the style sheets inlined in
// its index.html too), against the budget. The rest of index.html (the head, and the
// prerendered default view, build/prerender.mjs) is printed under the table, as its own figure.
// Fails above the hard ceiling. Usage: node tests/e2e/size.mjs [dist] [--ceiling KB] [--report]
// (--ceiling: the page's own hard limit, as the embed page's is its budget; --report: print the
// figures of a page without a verdict, such as the workshop page's).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_KB = 100;
// The app's ceiling for this round's features (the team's limit).
export const CEILING_KB = 150;

const measured = (file, buf) => ({
  file,
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const STYLE = /<style>([\s\S]*?)<\/style>/g;

export function sizes(dir = 'dist') {
  const rows = [];
  for (const f of readdirSync(dir)) {
    if (/\.(wasm|js|css)$/.test(f)) rows.push(measured(f, readFileSync(join(dir, f))));
  }
  const styles = [...index(dir).matchAll(STYLE)].map((m) => m[1]).join('');
  if (styles) rows.push(measured('index.html: styles', Buffer.from(styles)));
  return rows;
}

function index(dir) {
  try {
    return readFileSync(join(dir, 'index.html'), 'utf8');
  } catch {
    return '';
  }
}

/// index.html without its styles (counted with the bundle): the head and, where the page has
/// one, the prerendered default view.
export function html(dir = 'dist') {
  const text = index(dir).replace(STYLE, '');
  const views = [...text.matchAll(/<div class="pre pre-\w+" inert>/g)].length;
  return { ...measured('index.html', Buffer.from(text)), views };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'dist';
  const rows = sizes(dir);
  const kb = (n) => (n / 1024).toFixed(1);
  console.log('| file | raw KB | gzip KB | brotli KB |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  const gz = rows.reduce((a, r) => a + r.gzip, 0);
  const br = rows.reduce((a, r) => a + r.brotli, 0);
  console.log(`| total | | ${kb(gz)} | ${kb(br)} |`);
  const h = html(dir);
  console.log(`${dir}/index.html besides its styles: ${kb(h.gzip)} KB gzip${h.views ? `, with the default view prerendered in ${h.views} languages` : ''} (not in the total)`);
  if (process.argv.includes('--report')) {
    console.log(`${dir}: gzip total ${kb(gz)} KB (reported; the ceiling holds for the app and its embed page)`);
    process.exit(0);
  }
  const at = process.argv.indexOf('--ceiling');
  const ceiling = at > 0 ? Number(process.argv[at + 1]) : CEILING_KB;
  const verdict = gz <= BUDGET_KB * 1024 ? 'within budget' : gz <= ceiling * 1024 ? 'over budget, under the ceiling' : 'OVER THE CEILING';
  console.log(`${dir}: gzip total ${kb(gz)} KB (${gz} bytes): budget ${BUDGET_KB} KB, ceiling ${ceiling} KB: ${verdict}`);
  if (rows.length < 3) {
    console.error(`${dir} lacks its wasm, JS or CSS: build first`);
    process.exit(1);
  }
  if (gz > ceiling * 1024) process.exit(1);
}
