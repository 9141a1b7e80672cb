// Bundles the web page with esbuild: web/src/app.js, web/src/admin.js and web/src/app.css into web/dist/assets/,
// and copies the two HTML pages and the icon beside them. Caldera.Web.csproj runs this (npm run build:web) and
// embeds web/dist/ in Caldera.Web.dll, so the page needs no CDN and no file system at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const web = dirname(fileURLToPath(import.meta.url));
const dist = join(web, 'dist');
const assets = join(dist, 'assets');

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

await build({
  entryPoints: ['app.js', 'admin.js', 'app.css'].map((file) => join(web, 'src', file)),
  outdir: assets,
  entryNames: '[name]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  logLevel: 'warning',
});

for (const page of ['index.html', 'admin.html'])
  copyFileSync(join(web, page), join(dist, page));
copyFileSync(join(web, 'favicon.svg'), join(assets, 'favicon.svg'));

// Compressed copies, made once here rather than on every answer: the server sends app.js.br or app.js.gz to a browser
// that accepts them (app.js is FullCalendar and weighs about 270 KB, some 70 KB in brotli).
for (const file of readdirSync(assets)) {
  if (!/\.(js|css|svg)$/.test(file)) continue;
  const bytes = readFileSync(join(assets, file));
  writeFileSync(join(assets, `${file}.br`), brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
  writeFileSync(join(assets, `${file}.gz`), gzipSync(bytes, { level: 9 }));
}
