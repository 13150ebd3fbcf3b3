// The command line's defaults on real data, as a user runs it: five datasets that ship with
// scikit-learn (examples/data/, written by scripts/real-datasets.py: iris, wine with its classes
// as names, breast cancer and the 8×8 digits with integer labels, diabetes with a real-valued
// target), each trained with nothing but --target and evaluated on its held-out file. Each must
// come within 2 points of accuracy, or 0.05 of R², of scikit-learn's linear model on the same
// split (StandardScaler + LogisticRegression or Ridge, figures printed by that script); integer
// labels are classified and say so; a regression's predictions are in the target's units.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ran, exec } from '../support/process.js';

const root = new URL('../..', import.meta.url).pathname;
const cli = (args: string[]): Promise<Ran> => exec(process.execPath, ['scripts/run.mjs', 'cli/wgsl-learn.ts', ...args], root);

/** scikit-learn 1.9.1 on the same files (python3 scripts/real-datasets.py). */
const SKLEARN: Record<string, { accuracy?: number; r2?: number; integerClasses?: number }> = {
  iris: { accuracy: 0.9667 },
  wine: { accuracy: 1.0 },
  'breast-cancer': { accuracy: 0.9825, integerClasses: 2 },
  digits: { accuracy: 0.9667, integerClasses: 10 },
  diabetes: { r2: 0.3311 },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-real-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the command line’s defaults on real data', () => {
  for (const [name, want] of Object.entries(SKLEARN)) {
    it(`${name}: within ${want.r2 === undefined ? '2 points of LogisticRegression’s accuracy' : '0.05 of Ridge’s R²'} on the held-out file, with nothing but --target`, async () => {
      const data = (part: string) => join(root, 'examples', 'data', `${name}.${part}.csv`);
      const model = join(dir, `${name}.json`);
      const trained = await cli(['train', data('train'), '--target', 'target', '--out', model]);
      expect(trained.code, trained.stderr).toBe(0);
      // Integer targets are never silently one kind: classes, or (diabetes' 214 values) a value — said either way.
      if (want.integerClasses) expect(trained.stdout).toContain(`target: target holds integers with ${want.integerClasses} distinct values`);
      else if (want.r2 !== undefined) expect(trained.stdout).toContain('target: target holds integers with more than 20 distinct values: fitting them as a value');
      else expect(trained.stdout).not.toContain('holds integers');
      if (want.r2 !== undefined) {
        expect(trained.stdout).toContain('(a value)');
        expect(trained.stdout).toMatch(/the target was standardised \(μ [\d.]+, σ [\d.]+\) and the output layer rescaled/);
      }
      const metrics = join(dir, `${name}.metrics.json`);
      const evaluated = await cli(['evaluate', '--model', model, data('test'), '--metrics', metrics]);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      const got = JSON.parse(readFileSync(metrics, 'utf8')) as { accuracy?: number; r2?: number };
      if (want.r2 !== undefined) expect(got.r2!).toBeGreaterThanOrEqual(want.r2 - 0.05);
      else expect(got.accuracy!).toBeGreaterThanOrEqual(want.accuracy! - 0.02);
    }, 300_000);
  }
});
