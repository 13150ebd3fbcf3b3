// The documentation's TypeScript samples as modules a test can type-check and run: every ```ts
// block of README.md and docs/*.md, its `import … from 'wgsl-learn'` pointed at the source, each
// `console.log(…); // → claim` line turned into a check of what it logs (test/support/doc-expect.ts).
// A sample that uses `document` or `navigator` is a page's and runs in Chromium; the others in Node.

import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Sample {
  /** The document, relative to the repository, and the line its ```ts fence is on. */
  doc: string;
  line: number;
  code: string;
  runsIn: 'node' | 'chromium';
}

export const REPOSITORY = new URL('../..', import.meta.url).pathname;

/** README.md and every docs/*.md. */
export function sampleDocs(): string[] {
  return ['README.md', ...readdirSync(join(REPOSITORY, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/** The ```ts blocks of `doc`. */
export function extractSamples(doc: string, text = readFileSync(join(REPOSITORY, doc), 'utf8')): Sample[] {
  const lines = text.split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end < 0) throw new Error(`${doc}:${i + 1}: a \`\`\`ts block that never ends`);
    const code = lines.slice(i + 1, end).join('\n');
    samples.push({ doc, line: i + 1, code, runsIn: /\b(document|navigator)\b/.test(code) ? 'chromium' : 'node' });
    i = end;
  }
  return samples;
}

/** A file name for the sample's module: README.md:57 → README-57.ts. */
export function sampleFile(s: Sample): string {
  return `${s.doc.replace(/^docs\//, '').replace(/\.md$/, '')}-${s.line}.ts`;
}

const CLAIM = /^(\s*)console\.log\((.*)\);\s*\/\/ → (.*)$/;

/** The module that runs `s` from the folder `dir`: source imports, claims checked, lines kept in place. */
export function sampleModule(s: Sample, dir: string): string {
  const to = (path: string) => {
    const r = relative(dir, join(REPOSITORY, path));
    return r.startsWith('.') ? r : `./${r}`;
  };
  const body = s.code.split('\n').map((line, i) => {
    const where = `${s.doc}:${s.line + 1 + i}`;
    const claim = CLAIM.exec(line);
    const out = claim ? `${claim[1]}expectShown(${JSON.stringify(where)}, ${JSON.stringify(claim[3])}, ${claim[2]});` : line;
    return out.replace(/from 'wgsl-learn\/plot'/, `from '${to('src/plot/index.js')}'`).replace(/from 'wgsl-learn'/, `from '${to('src/index.js')}'`);
  });
  return [`import { expectShown } from '${to('test/support/doc-expect.js')}'; // ${s.doc}:${s.line}`, ...body, 'export {};', ''].join('\n');
}

/** Every sample of the documentation. */
export function allSamples(): Sample[] {
  return sampleDocs().flatMap((doc) => extractSamples(doc));
}

/** Writes every sample's module into `dir` (emptied first); returns the samples. */
export function writeSampleModules(dir: string): Sample[] {
  const samples = allSamples();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const s of samples) writeFileSync(join(dir, sampleFile(s)), sampleModule(s, dir));
  return samples;
}
