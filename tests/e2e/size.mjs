// Bundle size: gzip (and brotli) bytes of a page's wasm, JS and CSS, against the budget.
// Fails above the hard ceiling. Usage: node tests/e2e/size.mjs [dist] [--ceiling KB] [--report]
// (--ceiling: the page's own hard limit, as the embed page's is its budget; --report: print the
// figures of a page without a verdict, such as the workshop page's).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_KB = 100;
// The app's ceiling for this round's features (the team allows up to 150 KB).
export const CEILING_KB = 140;

export function sizes(dir = 'dist') {
  const rows = [];
  for (const f of readdirSync(dir)) {
    if (!/\.(wasm|js|css)$/.test(f)) continue;
    const buf = readFileSync(join(dir, f));
    rows.push({
      file: f,
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return rows;
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
