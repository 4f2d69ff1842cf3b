// Mozilla Readability with jsdom over the shared evaluation set, pass after pass in one process: pages/s per pass,
// and the first pass's text as {ID: {"articleBody": ...}} for score.py. Beside `bench content DIR` (docs/benchmarks.md).
//   dir=$(mktemp -d) && (cd "$dir" && npm install @mozilla/readability jsdom)
//   NODE_PATH="$dir/node_modules" taskset -c 0 node loomcrawl-bench/readability_bench.js ../shared/content-eval/pages 3 out.json
const fs = require('fs'), zlib = require('zlib'), path = require('path');
const { JSDOM, VirtualConsole } = require('jsdom');
const { Readability } = require('@mozilla/readability');
const [dir, passes = '3', out = 'readability.json'] = process.argv.slice(2);
const files = fs.readdirSync(dir).filter(f => f.endsWith('.html.gz')).sort();
const pages = files.map(f => zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString('utf8'));
const texts = {};
for (let pass = 1; pass <= +passes; pass++) {
  const t0 = process.hrtime.bigint();
  pages.forEach((html, i) => {
    const id = files[i].replace('.html.gz', '');
    const dom = new JSDOM(html, { url: 'http://127.0.0.1/' + id + '.html', virtualConsole: new VirtualConsole() });
    const article = new Readability(dom.window.document).parse();
    if (pass === 1) texts[id] = { articleBody: article ? article.textContent : '' };
    dom.window.close();
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`readability, pass ${pass}: ${s.toFixed(2)} s, ${(pages.length / s).toFixed(2)} pages/s`);
}
fs.writeFileSync(out, JSON.stringify(texts));
