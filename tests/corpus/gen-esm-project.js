#!/usr/bin/env node
// Generates a synthetic ES-module project for bundler tests:
//   node gen-esm-project.js OUTDIR [MODULES=2400] [SEED=1]
// Output is a pure function of (MODULES, SEED): a seeded PRNG, no clock, no
// directory listing order. Module i imports only modules j > i, so the import
// graph is a DAG; index.js imports every module nobody else imports, so every
// module is reachable. Every export is used, so tree shaking keeps the bulk.
'use strict';
const fs = require('fs');
const path = require('path');

const [outDir, nArg, seedArg] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: gen-esm-project.js OUTDIR [MODULES] [SEED]');
  process.exit(2);
}
const N = Number(nArg || 2400);
const MARK = '.gen-esm-project';
if (!(N >= 2)) { console.error('gen-esm-project: MODULES must be >= 2'); process.exit(2); }

// mulberry32: tiny deterministic PRNG (Math.random cannot be seeded).
let s = Number(seedArg || 1) >>> 0;
function rnd() {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];

const AREAS = ['core', 'util', 'model', 'view', 'net', 'store', 'i18n', 'math',
  'parse', 'format', 'auth', 'cache'];
const NOUNS = ['widget', 'record', 'buffer', 'token', 'router', 'ledger', 'vector',
  'session', 'schema', 'queue', 'matrix', 'cursor', 'filter', 'bucket'];
// Non-ASCII text exercises UTF-8 handling end to end (read, minify, write).
const WORDS = ['naïve', 'Grüße', 'façade', 'smørrebrød', 'Ελληνικά', 'русский',
  '日本語', '中文', '한국어', 'עברית', 'العربية', 'emoji 🚀', 'ümlaut', 'café', 'plain'];

const mods = [];
for (let i = 0; i < N; i++) {
  const area = AREAS[i % AREAS.length];
  const noun = pick(NOUNS);
  mods.push({ i, noun, file: `src/${area}/${noun}_${i}.js`, deps: [], importers: 0 });
}
// Dependencies point forward within a window: a deep DAG with shared subtrees.
for (const m of mods) {
  const want = int(5);
  for (let k = 0; k < want && m.i + 1 < N; k++) {
    const j = m.i + 1 + int(Math.min(150, N - m.i - 1));
    if (!m.deps.includes(j)) { m.deps.push(j); mods[j].importers++; }
  }
  m.deps.sort((a, b) => a - b);
}

const rel = (from, to) => {
  const r = path.posix.relative(path.posix.dirname(from), to);
  return r.startsWith('.') ? r : './' + r;
};
const cap = (w) => w[0].toUpperCase() + w.slice(1);
const lit = (v) => JSON.stringify(v);

function moduleText(m) {
  const { i, noun } = m;
  const C = `${cap(noun)}${i}`;
  const out = [`// ${m.file}: generated, do not edit.`];
  for (const j of m.deps) {
    const d = mods[j];
    out.push(`import { compute${j}, ${cap(d.noun)}${j}, LABEL_${j} } from ${lit(rel(m.file, d.file))};`);
  }
  // A few re-exports, in both forms, of a module this one already depends on.
  if (m.deps.length && i % 7 === 0) {
    const j = m.deps[0];
    out.push(`export { compute${j} as compute${j}_via${i} } from ${lit(rel(m.file, mods[j].file))};`);
  }
  if (m.deps.length && i % 31 === 0) {
    const j = m.deps[m.deps.length - 1];
    out.push(`export * as ns${j}_via${i} from ${lit(rel(m.file, mods[j].file))};`);
  }
  const word = pick(WORDS);
  const weights = Array.from({ length: 3 + int(4) }, () => int(1000));
  out.push('',
    `export const LABEL_${i} = ${lit(`${noun} #${i} (${word})`)};`,
    `export const WEIGHTS_${i} = Object.freeze(${lit(weights)});`,
    `const scale${i} = (x) => (x * ${1 + int(97)} + ${int(1000)}) % 1000003;`,
    `let cache${i} = null;`,
    '',
    `/** Folds this module's weights with those of its dependencies (memoised). */`,
    `export function compute${i}() {`,
    `  if (cache${i} !== null) return cache${i};`,
    `  let acc = WEIGHTS_${i}.reduce((a, w, k) => scale${i}(a + w * (k + 1)), ${i});`);
  for (const j of m.deps) out.push(`  acc = scale${i}(acc ^ compute${j}());`);
  out.push(`  cache${i} = acc;`, `  return acc;`, `}`, '',
    `export class ${C} {`,
    `  #id;`,
    // Depth-limited: the DAG has exponentially many paths.
    `  constructor(id = ${i}, depth = 0) {`,
    `    this.#id = id;`,
    `    this.parts = depth >= 2 ? [] : [${m.deps.map((j) => `new ${cap(mods[j].noun)}${j}(id + ${j}, depth + 1)`).join(', ')}];`,
    `  }`,
    `  get id() { return this.#id; }`,
    `  describe(indent = '') {`,
    `    const head = \`\${indent}${C}<\${this.#id}> \${LABEL_${i}} = \${compute${i}()}\`;`,
    `    return [head, ...this.parts.map((p) => p.describe(indent + '  '))].join('\\n');`,
    `  }`,
    `  static of(...ids) { return ids.map((id) => new ${C}(id)); }`,
    `}`, '');
  out.push(`export const summary${i} = () => ({`,
    `  label: LABEL_${i},`,
    `  deps: [${m.deps.map((j) => `LABEL_${j}`).join(', ')}],`,
    `  text: \`${noun} \${LABEL_${i}.length} chars, value \${compute${i}().toString(16)}\`,`,
    `});`, '');
  return out.join('\n');
}

// Refuse to clobber a directory that this generator did not create.
if (fs.existsSync(outDir)) {
  if (fs.existsSync(path.join(outDir, MARK))) fs.rmSync(outDir, { recursive: true });
  else if (fs.readdirSync(outDir).length) {
    console.error(`gen-esm-project: ${outDir} is not empty and was not generated here`);
    process.exit(1);
  }
}
for (const m of mods) {
  const f = path.join(outDir, m.file);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, moduleText(m));
}

const roots = mods.filter((m) => m.importers === 0);
const idx = ['// index.js: imports every root module of the generated graph.'];
for (const m of roots) {
  idx.push(`import { compute${m.i}, ${cap(m.noun)}${m.i}, summary${m.i} } from ${lit('./' + m.file)};`);
}
idx.push('', 'const results = [', ...roots.map((m) =>
  `  [compute${m.i}(), new ${cap(m.noun)}${m.i}().describe().length, summary${m.i}().text],`), '];',
  'let total = 0;',
  'for (const [v, n] of results) total = (total * 31 + v + n) % 1000000007;',
  'console.log(`modules: ' + N + ', roots: ${results.length}, checksum: ${total}`);', '');
fs.writeFileSync(path.join(outDir, 'index.js'), idx.join('\n'));
fs.writeFileSync(path.join(outDir, 'package.json'),
  lit({ name: 'gen-esm-project', private: true, type: 'module' }) + '\n');
fs.writeFileSync(path.join(outDir, MARK), `modules ${N} seed ${seedArg || 1}\n`);
