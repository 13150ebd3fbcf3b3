// What the command line makes of a CSV's target before and after a fit, as scikit-learn users
// expect: integer targets with few distinct values are classes (said, with the flag that makes
// them a value instead), a real-valued target is standardised for training and the fitted output
// layer rescaled after it (so predictions, the saved model and ONNX are in the target's units),
// and a fit whose cost was still falling at its last epoch is reported as unconverged.

import type { EpochReport, Label, NeuralNetwork } from '../src/index.js';
import type { Target } from './table.js';

/** Distinct integer values up to which an integer target is read as classes (scikit-learn's digits: 10). */
export const MAX_INTEGER_CLASSES = 20;

/**
 * The target as classes when `output` is 'auto' and its values are integers with 2 …
 * MAX_INTEGER_CLASSES distinct ones, each seen twice on average (labels repeat; five houses'
 * five prices do not); else as read. Either way an integer target is never silently one or the
 * other: the notice says what was chosen and the flag that chooses the other.
 */
export function integerClasses(target: Target, output: string): { target: Target; notice?: string } {
  if (output !== 'auto' || target.kind !== 'values') return { target };
  const limit = Math.min(MAX_INTEGER_CLASSES, Math.floor(target.values.length / 2));
  // Distinct values are counted up to limit + 1 only: a column of millions of integers keeps a set of 21.
  const distinct = new Set<number>();
  for (const v of target.values) {
    if (!Number.isInteger(v)) return { target };
    if (distinct.size <= limit) distinct.add(v);
  }
  if (distinct.size < 2) return { target };
  if (distinct.size > limit) {
    return { target, notice: `target: ${target.name} holds integers with more than ${limit} distinct values: fitting them as a value (linear); --output softmax makes them classes instead` };
  }
  const classes = [...distinct].sort((a, b) => a - b);
  const shown = classes.length > 8 ? `${classes.slice(0, 4).join(', ')}, …, ${classes[classes.length - 1]}` : classes.join(', ');
  const notice = `target: ${target.name} holds integers with ${classes.length} distinct values (${shown}): classifying them (softmax); --output linear fits them as a value instead`;
  return { target: { kind: 'labels', name: target.name, labels: Array.from(target.values), classes }, notice };
}

/** μ and σ of real-valued targets (float64; σ of a constant column — spread under 1e-8 of μ — is 1), as the features are standardised. */
export function targetScale(values: Float64Array): { mean: number; std: number } {
  let mean = 0;
  for (const v of values) mean += v / values.length;
  // σ scaled by the largest deviation first, so neither tiny nor huge values under- or overflow their squares.
  let far = 0;
  for (const v of values) far = Math.max(far, Math.abs(v - mean));
  let squares = 0;
  if (far > 0) for (const v of values) squares += ((v - mean) / far) ** 2;
  const std = far * Math.sqrt(squares / values.length);
  // A spread under 1e-8 of μ is below what float32 (which trains on it) can tell apart: a constant target.
  return { mean, std: std > 0 && std > 1e-8 * Math.abs(mean) ? std : 1 };
}

/** (y − μ)/σ. */
export function standardised(values: Float64Array, s: { mean: number; std: number }): Float64Array {
  return values.map((v) => (v - s.mean) / s.std);
}

/**
 * A network trained on (y − μ)/σ, turned into one that predicts y: its linear output h' = Θa
 * becomes σ·h' + μ by scaling the last layer's weights by σ and its bias weights by σ then adding μ.
 */
export async function rescaleOutput(network: NeuralNetwork<Label>, s: { mean: number; std: number }): Promise<void> {
  const weights = await network.getWeights();
  const last = weights[weights.length - 1]!;
  const cols = last.length / (network.layers!.at(-1) ?? 1); // bias weight in column 0 of each row
  for (let i = 0; i < last.length; i++) last[i] = last[i]! * s.std + (i % cols === 0 ? s.mean : 0);
  network.setWeights(weights);
}

/** Epochs at the end over which "still falling" is judged: a tenth of the fit, at least 1. */
const TAIL = 0.1;
/** Mean relative fall of the cost per epoch over that tail above which the fit is called unconverged (scikit-learn's MLP: tol 1e-4). */
const STILL_FALLING = 1e-4;

/**
 * A warning when the training cost was still falling at the last epoch (scikit-learn's
 * ConvergenceWarning): over the last tenth of the epochs it fell by more than 0.01 % per epoch.
 */
export function convergenceWarning(history: readonly EpochReport[], settings: { epochs: number; alpha: number }): string | undefined {
  if (history.length < settings.epochs || history.length < 2) return undefined; // stopped early, or too short to judge
  const tail = Math.max(1, Math.round(history.length * TAIL));
  const [before, last] = [history[history.length - 1 - tail]!.cost, history[history.length - 1]!.cost];
  if (!(Number.isFinite(before) && Number.isFinite(last)) || !(before - last > STILL_FALLING * tail * Math.abs(before))) return undefined;
  const fall = (100 * (before - last)) / Math.abs(before);
  return `warning: not converged — the training cost was still falling at the last epoch (${fall.toPrecision(2)} % over the last ${tail} of ${history.length} epochs, to J/m ${last.toPrecision(4)}): raise --epochs (now ${settings.epochs}) or --alpha (now ${settings.alpha})`;
}
