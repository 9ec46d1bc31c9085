// Trunk post-build hook: moves Trunk's inline module loader into its own hashed file, so the
// Content-Security-Policy can allow scripts from the app's own files only.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run through trunk build');
const indexPath = join(dir, 'index.html');
const html = await readFile(indexPath, 'utf8');
const re = /<script type="module">([\s\S]*?)<\/script>/;
const m = html.match(re);
if (!m) throw new Error('no inline module script in index.html');
const code = m[1].trim() + '\n';
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const name = `boot-${hash}.js`;
await writeFile(join(dir, name), code);
await writeFile(indexPath, html.replace(re, `<script type="module" src="./${name}"></script>`));
