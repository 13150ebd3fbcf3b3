// The shape the architecture promises (docs/architecture.md), checked so it stays: no import
// circle in src/ (type imports count: a circle of types is a circle of concepts), no source
// file over 350 lines, a demo that uses the library only through its public entry points, and
// property tests that check the same cases on every machine.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(root, folder, f));
}

/** The relative imports of a TypeScript file, resolved to files (.js → .ts). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)]
    .map((m) => m[1]!)
    .filter((p) => !p.includes('?raw') && !p.endsWith('.mjs'))
    .map((p) => resolve(dirname(file), p.replace(/\.js$/, '.ts')));
}

describe('structure', () => {
  it('src/ has no import circle', () => {
    const files = sources('src');
    const graph = new Map(files.map((f) => [f, imports(f).filter((t) => files.includes(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(root, p)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('options objects are checked by their tables: checkKeys (names only) is called by src/options.ts alone', () => {
    const callers = [...sources('src'), ...sources('cli')].filter((f) => /\bcheckKeys\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(callers.sort()).toEqual(['src/keys.ts', 'src/options.ts']);
  });

  it('no call spreads a list into its arguments in src/, cli/, demo/ or scripts/ (a tuple of fixed length may): a loop over data never goes through an argument list, where V8 throws RangeError past ~10⁵ values', () => {
    const files = [...sources('src'), ...sources('cli'), ...sources('demo'), ...readdirSync(join(root, 'scripts')).filter((f) => f.endsWith('.mjs')).map((f) => join(root, 'scripts', f))];
    const program = ts.createProgram(files, { allowJs: true, noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: ['@webgpu/types', 'node', 'vite/client'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'] });
    const checker = program.getTypeChecker();
    const found: string[] = [];
    for (const file of files) {
      const source = program.getSourceFile(file)!;
      const visit = (node: ts.Node) => {
        if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
          for (const arg of node.arguments) {
            if (ts.isSpreadElement(arg) && !checker.isTupleType(checker.getTypeAtLocation(arg.expression))) {
              found.push(`${relative(root, file)}:${source.getLineAndCharacterOfPosition(arg.getStart()).line + 1}: ${arg.getText().slice(0, 60)}`);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  it('no source file in src/ is over 350 lines', () => {
    const long = sources('src')
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 350);
    expect(long).toEqual([]);
  });

  it('code the browser runs reads no environment: no process.env in src/ outside src/node/ (a probe\'s switch once reached Chromium as "process is not defined")', () => {
    const reading = sources('src')
      .map((f) => relative(join(root, 'src'), f).split('\\').join('/'))
      .filter((f) => !f.startsWith('node/'))
      .filter((f) => /\bprocess\.env\b/.test(readFileSync(join(root, 'src', f), 'utf8')));
    expect(reading).toEqual([]);
  });

  it('docs/architecture.md names every source file of src/ (src/kernels/ by its rule: each file under its shader\'s name), so a newcomer finds each one there', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const unnamed = sources('src')
      .map((f) => relative(join(root, 'src'), f).split('\\').join('/'))
      .filter((f) => !f.startsWith('kernels/'))
      .filter((f) => !doc.includes(`\`${f.split('/').pop()}\``) && !doc.includes(`src/${f}`));
    expect(unnamed).toEqual([]);
  });

  it('every fast-check property in test/ runs from a fixed seed: a run checks the same cases on every machine (a random seed once turned CI red on a case no run here had drawn)', () => {
    const unseeded: string[] = [];
    for (const file of sources('test')) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && /^fc\.(assert|check)$/.test(node.expression.getText())) {
          const options = node.arguments[1];
          const seeded = options !== undefined && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name?.getText() === 'seed');
          if (!seeded) unseeded.push(`${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(unseeded).toEqual([]);
  });

  it('the demo uses the library only through its public entry points (and the command line settings it mirrors, as a type)', () => {
    const allowed = new Set([join(root, 'src', 'index.ts'), join(root, 'src', 'plot', 'index.ts')]);
    for (const file of sources('demo')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import (type )?[^'"]*from '([^']+)'/gm)) {
        const target = resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts'));
        const local = !relative(join(root, 'demo'), target).startsWith('..');
        const settings = m[1] === 'type ' && target === join(root, 'cli', 'options.ts');
        expect(local || allowed.has(target) || settings, `${relative(root, file)} imports ${m[2]}`).toBe(true);
      }
    }
  });
});
