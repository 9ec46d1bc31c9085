// After the build, the first paint of the app and of the embed page:
//
// 1. The default view, as the app itself first renders it, in English and in Korean, written
//    into each page's index.html. A reader sees the lanes as soon as the HTML is in, not after
//    the WebAssembly has loaded, compiled and run; the app removes them once it has drawn its
//    own (build/post-build.mjs).
// 2. The page's style sheets inlined: the first paint needs the HTML alone, no second round trip
//    (on a phone's connection that is 150-300 ms of the wait; the sheets are 3-4 KB gzip).
// 3. A small script in the head decides before the first paint what the app would decide on
//    starting: the reader's language and theme, and whether the link asks for the default view
//    at all. For any other view it hides the prerendered lanes: a neutral frame, never the wrong
//    lanes. It is inline, before the styles, and the page's Content-Security-Policy allows it,
//    and only it, by its hash.
//
// Usage: node build/prerender.mjs DIR...   (each DIR a built page: dist, dist/embed)
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/serve.mjs';
import { launchOptions } from '../tests/e2e/browser.mjs';

// Kept in step with the app's own choices: browser::defaults (navigator.language, the
// prefers-color-scheme media query) and url::decode (lang, theme). Any other parameter is
// another view.
const PRE_JS = `(function(){var d=document.documentElement,q=location.search,l=/[?&]lang=(ko|en)(&|$)/.exec(q),t=/[?&]theme=(dark|light)(&|$)/.exec(q);d.lang=l?l[1]:/^ko/i.test(navigator.language)?"ko":"en";d.setAttribute("data-theme",t?t[1]:matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light");if(q.replace(/[?&](lang|theme)=[^&]*/g,"").replace(/^[?&]+/,""))d.classList.add("pre-off")})();`;

const LANGS = ['en', 'ko'];

/// The app's markup as a picture: what shows, and nothing a reader cannot see. No ids (the live
/// app, which takes its place, has them; two languages would repeat them), no names for
/// assistive technology, tooltips, click targets or data for the app's handlers (`inert` on the
/// copy keeps it out of focus and out of what is read out: readers of it use the live app).
/// About 40% fewer bytes; the style sheets select on none of it (`aria-pressed` stays).
function still(html) {
  return html
    .replace(/<title>[^<]*<\/title>/g, '')
    .replace(/<line class="hit"[^>]*><\/line>/g, '')
    .replace(/<span class="sr-only">[^<]*<\/span>/g, '')
    // The live app's addresses name the build's own server: the picture's link goes nowhere.
    .replace(/ href="http:\/\/127\.0\.0\.1:\d+[^"]*"/g, ' href="#"')
    .replace(/ (id|for|list|title|role|target|rel|tabindex|aria-label|aria-live|aria-hidden|aria-describedby|data-[a-z-]+)="[^"]*"/g, '');
}

export async function prerender(dirs) {
  const browser = await chromium.launch(launchOptions());
  try {
    for (const dir of dirs) {
      const server = await serve(dir, 0, '/');
      const views = [];
      for (const lang of LANGS) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`http://127.0.0.1:${server.address().port}/?lang=${lang}`);
        await page.waitForFunction(() => document.querySelectorAll('#root > .app .lane .strip').length >= 1);
        // Settled: the app's first effects have run (scrolls, the address written).
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        if (errors.length) throw new Error(`${dir} (${lang}): ${errors.join('; ')}`);
        const html = await page.evaluate(() => {
          // What the app set as properties (the playback slider's position, ticked boxes) into
          // the markup.
          for (const i of document.querySelectorAll('#root input')) {
            if (i.type === 'checkbox' || i.type === 'radio') i.toggleAttribute('checked', i.checked);
            else i.setAttribute('value', i.value);
          }
          return document.querySelector('#root > .app').outerHTML;
        });
        views.push(`<div class="pre pre-${lang}" inert>${still(html)}</div>`);
        await page.close();
      }
      server.close();
      const index = join(dir, 'index.html');
      let html = await readFile(index, 'utf8');
      if (html.includes('class="pre ')) throw new Error(`${index} is prerendered already`);
      const hash = `'sha256-${createHash('sha256').update(PRE_JS).digest('base64')}'`;
      if (!/script-src 'self'/.test(html)) throw new Error(`${index}: no script-src in its policy`);
      html = html.replace(/script-src 'self'/, `script-src 'self' ${hash}`);
      // The style sheets in the page (the CSP allows inline styles), where they were.
      const sheet = /<link [^>]*href="?\.\/([\w-]+\.css)"?[^>]*rel="?stylesheet"?[^>]*>/;
      let sheets = 0;
      for (let m; (m = html.match(sheet)); sheets++) {
        const css = await readFile(join(dir, m[1]), 'utf8');
        html = html.replace(m[0], () => `<style>${css}</style>`);
        await rm(join(dir, m[1]));
      }
      if (!sheets) throw new Error(`${index}: no style sheet`);
      // The script before the styles, so it has run when the first paint comes; the views just
      // before the app's root.
      html = html.replace('<style>', `<script>${PRE_JS}</script><style>`);
      const root = /<div id="?root"?>/;
      if (!root.test(html)) throw new Error(`${index}: no root for the app`);
      html = html.replace(root, (m) => `${views.join('')}${m}`);
      await writeFile(index, html);
      console.log(`${index}: default view prerendered (${LANGS.join(', ')}), ${(Buffer.byteLength(html) / 1024).toFixed(1)} KB`);
    }
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prerender(process.argv.slice(2));
}
