// Property-based checks of validation (fast-check, no GPU): whatever a caller passes, the
// checks either accept it — and then what they return is usable (finite, in range, shaped as
// declared) — or throw the documented error naming an argument. Never another error, never a
// NaN let through. The run counts are reported by the README.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError, parseTrainArgs } from '../../cli/options.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { checkSaved } from '../../src/models/saved.js';
import { readFeatures, readTargets } from '../../src/train/dataset.js';
import { closest } from '../../src/spelling.js';
import { resolveTrainOptions } from '../../src/train/options.js';

const RUNS = 1000;
const junk = fc.oneof(
  fc.double(), fc.integer(), fc.constantFrom(0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 32, 1e300), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object(), fc.array(fc.double()),
);

/** Runs `fn`; an error must be `type` naming an argument that starts with `prefix`. Returns whether it was accepted. */
function acceptedOr(type: typeof ArgumentError | typeof UsageError, prefix: string, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof type)) throw new Error(`threw ${String(e)}, not a ${type.name}`);
    if (e instanceof ArgumentError && !e.argument.startsWith(prefix)) throw new Error(`names ${e.argument}, not ${prefix}…`);
    return false;
  }
}

describe('validation properties', () => {
  it(`unknown option names (${RUNS} runs): any own key fit() does not know is refused as options.<key>; a near miss gets the closest valid key`, () => {
    const valid = Object.keys(resolveTrainOptions({}, 4)).concat('momentum', 'divergence', 'validation');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (key) => {
        fc.pre(!['learningRate', 'epochs', 'batchSize', 'shuffle', 'seed', 'optimizer', 'momentum', 'beta1', 'beta2', 'epsilon', 'lambda', 'divergence', 'earlyStopping', 'learningRateSchedule', 'onEpoch', 'validation', 'validationSplit', 'historyBuffer', 'checkpointEvery', 'onCheckpoint', 'signal', 'stepsPerSubmit'].includes(key));
        let error: unknown;
        try {
          resolveTrainOptions(JSON.parse(`{${JSON.stringify(key)}: 1}`), 4);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as ArgumentError).argument).toBe(`options.${key}`);
        expect((error as ArgumentError).message).toContain('unknown option');
      }),
      { numRuns: RUNS, seed: 7 },
    );
    expect(valid.length).toBeGreaterThan(10);
    expect(closest('learnigRate', ['epochs', 'learningRate'])).toBe('learningRate');
    expect(closest('EPOCHS', ['epochs', 'seed'])).toBe('epochs');
    expect(closest('callbacks', ['epochs', 'seed', 'lambda'])).toBeUndefined();
  });

  it(`training options (${RUNS} runs): resolved to finite values in their ranges, or an ArgumentError naming options.*`, () => {
    const keys = ['learningRate', 'epochs', 'batchSize', 'shuffle', 'seed', 'optimizer', 'momentum', 'beta1', 'beta2', 'epsilon', 'lambda', 'stepsPerSubmit', 'checkpointEvery'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.oneof(junk, fc.constantFrom('sgd', 'adam', 'momentum', 'full'))), fc.integer({ min: 1, max: 1000 }), (options, m) => {
        let resolved: ReturnType<typeof resolveTrainOptions> | undefined;
        acceptedOr(ArgumentError, 'options', () => (resolved = resolveTrainOptions(options, m)));
        if (!resolved) return;
        expect(resolved.learningRate > 0 && Number.isFinite(resolved.learningRate)).toBe(true);
        expect(Number.isInteger(resolved.epochs) && resolved.epochs >= 1).toBe(true);
        expect(Number.isInteger(resolved.batchSize) && resolved.batchSize >= 1 && resolved.batchSize <= m).toBe(true);
        expect(resolved.lambda >= 0 && Number.isFinite(resolved.lambda)).toBe(true);
        for (const b of [resolved.beta1, resolved.beta2]) expect(b >= 0 && b < 1).toBe(true);
        expect(resolved.epsilon > 0 && Number.isFinite(resolved.epsilon)).toBe(true);
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it(`features (${RUNS} runs of anything, and tables with one bad value): a finite f32 table of the declared shape, or an ArgumentError naming x…`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(fc.array(fc.oneof(fc.double(), junk), { maxLength: 4 }), { maxLength: 5 })), (x) => {
        let got: ReturnType<typeof readFeatures> | undefined;
        acceptedOr(ArgumentError, 'x', () => (got = readFeatures('x', x as never)));
        if (!got) return;
        expect(got.rows).toBeGreaterThanOrEqual(1);
        expect(got.cols).toBeGreaterThanOrEqual(1);
        expect(got.data!.length).toBe(got.rows * got.cols);
        expect(got.data!.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: RUNS, seed: 8 },
    );
  });

  it(`targets (${RUNS} runs): labels and classes in range, or an ArgumentError naming y…`, () => {
    const kinds = [{ kind: 'real' as const }, { kind: 'binary' as const }, { kind: 'class' as const, classes: 3 }];
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(fc.oneof(fc.integer({ min: -1, max: 4 }), junk), { maxLength: 6 })), fc.integer({ min: 0, max: 2 }), (y, k) => {
        const kind = kinds[k]!;
        const n = Array.isArray(y) ? y.length : 3;
        let got: Float32Array | undefined;
        acceptedOr(ArgumentError, 'y', () => (got = readTargets('y', y as never, n, kind) as Float32Array));
        if (!got) return;
        expect(got.every(Number.isFinite)).toBe(true);
        if (kind.kind === 'binary') expect(got.every((v) => v === 0 || v === 1)).toBe(true);
        if (kind.kind === 'class') expect(got.every((v) => Number.isInteger(v) && v >= 0 && v < 3)).toBe(true);
      }),
      { numRuns: RUNS, seed: 9 },
    );
  });

  it(`saved models (${RUNS} runs): consistent (Θ holds exactly what the layers need, all finite) or an ArgumentError naming json…`, () => {
    const layers = fc.array(fc.oneof(fc.integer({ min: 1, max: 6 }), junk), { minLength: 1, maxLength: 4 });
    const saved = fc.record({
      format: fc.oneof(fc.constant('wgsl-learn/network'), junk), version: fc.oneof(fc.constant(1), junk), head: fc.oneof(fc.constantFrom('sigmoid', 'softmax', 'linear'), junk),
      layers, theta: fc.array(fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), junk), { maxLength: 80 }), normalization: fc.oneof(fc.constant(null), junk), epochs: junk,
    });
    fc.assert(
      fc.property(fc.oneof(saved, fc.anything()), (json) => {
        let got: ReturnType<typeof checkSaved> | undefined;
        acceptedOr(ArgumentError, 'json', () => (got = checkSaved(json, 'wgsl-learn/network')));
        if (!got) return;
        let P = 0;
        for (let l = 0; l + 1 < got.layers.length; l++) P += got.layers[l + 1]! * (got.layers[l]! + 1);
        expect(got.theta.length).toBe(P);
        expect(got.theta.every((v) => Number.isFinite(Math.fround(v)))).toBe(true);
      }),
      { numRuns: RUNS, seed: 10 },
    );
  });

  it(`the command line (${RUNS} runs of arbitrary arguments): valid settings, or a UsageError`, () => {
    const word = fc.oneof(fc.constantFrom('--hidden', '--output', '--lambda', '--alpha', '--optimizer', '--batch', '--epochs', '--seed', '--out', '--help', 'full', 'adam', 'softmax', '25', '100,25', '-1', '0', 'NaN'), fc.string());
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        let cmd: ReturnType<typeof parseTrainArgs> | undefined;
        acceptedOr(UsageError, '', () => (cmd = parseTrainArgs(argv)));
        if (!cmd) return;
        const s = cmd.settings;
        expect(s.hidden.every((u) => Number.isInteger(u) && u >= 1)).toBe(true);
        expect(s.alpha > 0 && s.lambda >= 0 && Number.isInteger(s.epochs) && s.epochs >= 1).toBe(true);
      }),
      { numRuns: RUNS, seed: 11 },
    );
  });
});
