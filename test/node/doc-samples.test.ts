// The documentation's samples, as a reader copies them: every ```ts block of README.md and
// docs/*.md type-checks against the library's source as one module of its own (nothing defined
// by another block), the Node ones run with their `// → claim` lines checked (test/support/
// doc-expect.ts), in a folder where `wgsl-learn digits --out digits-20x20.bin` — as the README
// says — wrote the digits; the page ones run in Chromium (test/browser/doc-samples.test.ts).
// Every `wgsl-learn` and `npm run` line of a ```sh block names a command, flags and files that exist.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../../cli/args.js';
import { COMMANDS, TOP_FLAGS, main as wgslLearn } from '../../cli/wgsl-learn.js';
import { claimTokens, expectShown, loggedTokens } from '../support/doc-expect.js';
import { REPOSITORY, allSamples, sampleDocs, sampleFile, writeSampleModules } from '../support/doc-samples.js';

const out = join(REPOSITORY, 'test-results', 'doc-samples', 'node');
const samples = allSamples();
let work: string;

beforeAll(async () => {
  writeSampleModules(out);
  work = mkdtempSync(join(tmpdir(), 'wgsl-learn-docs-'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    expect(await wgslLearn(['digits', '--out', join(work, 'digits-20x20.bin')])).toBe(0);
  } finally {
    log.mockRestore();
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it('docs: README.md and the guide hold the samples this test runs', () => {
  const where = (doc: string) => samples.filter((s) => s.doc === doc).length;
  expect(where('README.md')).toBeGreaterThanOrEqual(5);
  expect(where('docs/guide.md')).toBeGreaterThanOrEqual(3);
  expect(samples.filter((s) => s.runsIn === 'chromium').length).toBeGreaterThanOrEqual(2);
  // Each checked claim has something to check.
  for (const s of samples) for (const line of s.code.split('\n')) if (line.includes('// →')) expect(claimTokens(line.split('// →')[1]!).length, `${s.doc}: ${line}`).toBeGreaterThan(0);
});

it('docs: every sample type-checks as a module of its own against the source', () => {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPOSITORY, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
  const files = samples.map((s) => join(out, sampleFile(s)));
  const program = ts.createProgram(files, config.options);
  const problems = files.flatMap((f) => {
    const file = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
      const { line } = file.getLineAndCharacterOfPosition(d.start ?? 0);
      const sample = samples[files.indexOf(f)]!;
      return `${sample.doc}:${sample.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
  expect(problems).toEqual([]);
}, 240_000);

describe('docs: each Node sample runs and logs what it claims', () => {
  for (const s of samples.filter((x) => x.runsIn === 'node')) {
    it(`${s.doc}:${s.line}`, async () => {
      const here = process.cwd();
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      process.chdir(work);
      try {
        await import(join(out, sampleFile(s)));
      } finally {
        process.chdir(here);
        log.mockRestore();
      }
    }, 240_000);
  }
});

it('docs: a claim fails when the value logged differs, to the digits written', () => {
  expect(() => expectShown('x', '[-70.4346, 0.0638]: θ', [-70.4346, 0.0638])).not.toThrow();
  expect(() => expectShown('x', '[-70.4346, 0.0638]: θ', new Float64Array([-70.42, 0.0638]))).toThrow(/→ \[-70.4346, 0.0638\] but logged/);
  expect(() => expectShown('x', '[367.6] k€', [367.64])).not.toThrow();
  expect(() => expectShown('x', '[367.6] k€', [367.7])).toThrow();
  expect(() => expectShown('x', "[ 'setosa', 'virginica' ]", ['setosa', 'versicolor'])).toThrow();
  expect(() => expectShown('x', '27 1.000: 9 rows', 27, 1)).not.toThrow();
  expect(() => expectShown('x', '27 1.000: 9 rows', 27)).toThrow();
  expect(() => expectShown('x', 'true', false)).toThrow();
  expect(() => loggedTokens([{ a: 1 }])).toThrow(/log numbers/);
});

/** The `wgsl-learn …` and `npm run …` commands of the ```sh blocks, with the document line they are on. */
function shellCommands(): { where: string; words: string[] }[] {
  const found: { where: string; words: string[] }[] = [];
  for (const doc of sampleDocs()) {
    const lines = readFileSync(join(REPOSITORY, doc), 'utf8').split('\n');
    let inSh = false;
    lines.forEach((line, i) => {
      if (line.trim().startsWith('```')) inSh = line.trim() === '```sh';
      else if (inSh) for (const part of line.replace(/\s#.*$/, '').split(/&&|>/)) found.push({ where: `${doc}:${i + 1}`, words: part.trim().split(/\s+/).filter(Boolean) });
    });
  }
  return found;
}

it('docs: every command of a ```sh block is one that exists, with flags it takes and files that are there', () => {
  const scripts = (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  let checked = 0;
  for (const { where, words } of shellCommands()) {
    const at = words.indexOf('wgsl-learn');
    if (words[0] === 'npm' && words[1] === 'run') expect(scripts[words[2]!], `${where}: npm run ${words[2]}`).toBeDefined();
    if (at < 0 || words[0] === 'npm' && words[1] !== 'run') continue;
    const [name, ...rest] = words.slice(at + 1).filter((w) => w !== '--');
    const top = name!.startsWith('-');
    const command = top ? undefined : COMMANDS[name!];
    expect(top || command, `${where}: wgsl-learn ${name}`).toBeTruthy();
    const { positional } = top ? parseArgs([name!, ...rest], TOP_FLAGS) : parseArgs(rest, command!.flags);
    for (const path of [...positional, ...rest].filter((w) => w.startsWith('examples/'))) expect(existsSync(join(REPOSITORY, path)), `${where}: ${path}`).toBe(true);
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(6);
});

