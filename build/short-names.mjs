// Short names for what the wasm module and its JS glue call each other by.
//
// wasm-bindgen names each import after the Rust item plus a hash
// (`__wbg_addEventListener_f2d27251d333a631`) and each closure shim after its whole type path
// (150 characters). Every name is written twice, once in the module's import or export section and
// once in the glue, and its hash does not compress: about 4.5 KB of the embed page's 100 KB gzip
// budget. This renames them `$0`, `$1`, ... in both files. Names of 12 characters or fewer
// (`memory`, `main`) stay.
//
// The glue is searched for each name as a whole identifier or string. An import it does not
// name is an error here rather than a module that fails to load; an export it does not use
// (`__abort_handler`) is only renamed.

function readLeb(buf, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function name(str) {
  const bytes = utf8.encode(str);
  return [...leb(bytes.length), ...bytes];
}

function readName(buf, at) {
  const [len, start] = readLeb(buf, at);
  return [fromUtf8.decode(buf.subarray(start, start + len)), start + len];
}

// Skips an import's description (function, table, memory or global) and returns where it ends.
function skipImportDesc(buf, at) {
  const kind = buf[at++];
  const limits = (p) => {
    const flags = buf[p++];
    [, p] = readLeb(buf, p);
    if (flags & 1) [, p] = readLeb(buf, p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(buf, at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    default: throw new Error(`wasm import of unknown kind ${kind}`);
  }
}

function sections(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const out = [];
  let at = 8;
  while (at < buf.length) {
    const id = buf[at];
    const [size, start] = readLeb(buf, at + 1);
    out.push({ id, start, end: start + size });
    at = start + size;
  }
  return out;
}

/** Returns the module and its glue with short names, and how many names were shortened. */
export function shortenNames(wasm, js) {
  const renamed = new Map();
  const imported = new Set();
  const shorten = (old) => {
    if (old.length <= 12) return old;
    if (!renamed.has(old)) renamed.set(old, `$${renamed.size.toString(36)}`);
    return renamed.get(old);
  };
  const parts = [wasm.subarray(0, 8)];
  for (const s of sections(wasm)) {
    let body = wasm.subarray(s.start, s.end);
    if (s.id === 2 || s.id === 7) {
      let [count, at] = readLeb(wasm, s.start);
      const out = [...leb(count)];
      while (count--) {
        let mod;
        if (s.id === 2) [mod, at] = readName(wasm, at);
        let field;
        [field, at] = readName(wasm, at);
        const descStart = at;
        at = s.id === 2 ? skipImportDesc(wasm, at) : readLeb(wasm, at + 1)[1];
        if (s.id === 2) {
          out.push(...name(shorten(mod)));
          imported.add(mod).add(field);
        }
        out.push(...name(shorten(field)), ...wasm.subarray(descStart, at));
      }
      if (at !== s.end) throw new Error(`wasm section ${s.id} did not parse to its end`);
      body = Buffer.from(out);
    }
    parts.push(Buffer.from([s.id, ...leb(body.length)]), body);
  }
  if (renamed.size === 0) return { wasm, js, count: 0 };

  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const alternatives = [...renamed.keys()].sort((a, b) => b.length - a.length).map(escape);
  const whole = new RegExp(`(?<![\\w$])(?:${alternatives.join('|')})(?![\\w$])`, 'g');
  const seen = new Set();
  const newJs = js.replace(whole, (old) => {
    seen.add(old);
    return renamed.get(old);
  });
  const missing = [...imported].filter((n) => renamed.has(n) && !seen.has(n));
  if (missing.length) throw new Error(`the JS glue does not name ${missing.join(', ')}`);
  return { wasm: Buffer.concat(parts), js: newJs, count: renamed.size };
}
