// A plain static file server for dist/, mounted under a sub-path, as any static host would:
// gzip for a browser that asks for it (GitHub Pages, Netlify and the like compress HTML, JS, CSS,
// SVG and wasm; the benchmarks compare pages as readers receive them). Like those hosts, it
// compresses a file once, not on every request: on this 2-core machine a page's load would
// otherwise share the CPU with the server gzipping its module, which a reader's browser never does.
// Usage: node tests/e2e/serve.mjs [dir] [port] [base]   (defaults: dist 8080 /)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

export function serve(dir, port, base = '/') {
  const root = resolve(dir);
  const gzipped = new Map(); // file -> [mtime, body]
  const prefix = base.endsWith('/') ? base : base + '/';
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (path + '/' === prefix) {
      res.writeHead(301, { Location: prefix + url.search });
      return res.end();
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404);
      return res.end('not found');
    }
    path = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const s = await stat(file);
      // A folder without its slash is redirected, as static hosts do: the page's relative
      // addresses (./app.js) must resolve inside it (embed/, workshop/).
      if (s.isDirectory() && !url.pathname.endsWith('/')) {
        res.writeHead(301, { Location: url.pathname + '/' + url.search });
        return res.end();
      }
      const target = s.isDirectory() ? join(file, 'index.html') : file;
      const type = TYPES[extname(target)] ?? 'application/octet-stream';
      const mtime = (target === file ? s : await stat(target)).mtimeMs;
      const headers = { 'Content-Type': type, Vary: 'Accept-Encoding' };
      let body;
      if (/text|javascript|wasm|svg|json/.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        const [at, zipped] = gzipped.get(target) ?? [];
        if (at === mtime) body = zipped;
        else {
          body = gzipSync(await readFile(target), { level: 6 });
          gzipped.set(target, [mtime, body]);
        }
        headers['Content-Encoding'] = 'gzip';
      } else body = await readFile(target);
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'dist', port = '8080', base = '/'] = process.argv.slice(2);
  await serve(dir, Number(port), base);
  console.log(`Serving ${dir} at http://127.0.0.1:${port}${base}`);
}
