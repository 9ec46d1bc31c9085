// Bundle size: gzip (and brotli) bytes of a page's wasm, JS and CSS, against the budget.
// Fails above the hard ceiling. Usage: node tests/e2e/size.mjs [dist] [--report]
// (--report: print the figures of a page without a verdict, such as the workshop page's).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_KB = 100;
export const CEILING_KB = 130;

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
  const verdict = gz <= BUDGET_KB * 1024 ? 'within budget' : gz <= CEILING_KB * 1024 ? 'over budget, under the ceiling' : 'OVER THE CEILING';
  console.log(`${dir}: gzip total ${kb(gz)} KB: budget ${BUDGET_KB} KB, ceiling ${CEILING_KB} KB: ${verdict}`);
  if (rows.length < 3) {
    console.error(`${dir} lacks its wasm, JS or CSS: build first`);
    process.exit(1);
  }
  if (gz > CEILING_KB * 1024) process.exit(1);
}
