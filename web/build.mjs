// Bundles the web page with esbuild: web/src/app.js, web/src/admin.js and web/src/app.css into web/dist/assets/,
// and copies the two HTML pages and the icon beside them. Caldera.Web.csproj runs this (npm run build:web) and
// embeds web/dist/ in Caldera.Web.dll, so the page needs no CDN and no file system at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
