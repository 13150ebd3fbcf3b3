// The epoch end against float64: J = (1/m)Σ cost + (λ/2m)Σ decay·θ², the accuracy, the history
// slot it writes (and nothing else), the state and θ_good of a new best — for every workgroup the
// kernel may be built with (4 on a software adapter, 64 on a GPU; 1 and 16 as well) and for sizes
// on each side of them (m and P of 1, one under, at and over a workgroup, and 1,000). And the
// group's epoch ends (epoch_end_stacked) against it: each model's slot, state and θ_good bit for
// bit what epoch_end writes on that model's own buffers, from states in every branch of the guard.

import { encodeDispatch } from '../../src/gpu/kernel.js';
import { type EpochEndSettings, STATE, createEpochEnd, epochEndWorkgroup, initialState } from '../../src/kernels/epoch_end.js';
import { createStackedEpochEnd } from '../../src/kernels/epoch_end_stacked.js';
import { Random } from '../../src/random.js';
import { stackedRanges } from '../../src/train/program.js';
import { StepTable } from '../../src/train/step-table.js';
import { assertClose, check } from '../support/compare.js';
import { GUARD, type GpuCase, type Scratch } from '../support/gpu.js';

const WORKGROUPS = [1, 4, 16, 64];
const SIZES = [1, 3, 4, 5, 15, 16, 17, 63, 64, 65, 1000];
const LAMBDA = 0.7;
/** The history: 4 floats an epoch, epochs 1 … 4 of the fit; epoch 3's slot at offset `offset`. */
const HISTORY = { stride: 4, firstEpoch: 1, epochs: 4, epoch: 3 };

/** Runs one epoch end over m costs and P parameters; what it wrote, and the float64 J and accuracy. */
async function epochEnd(gpu: Scratch, m: number, P: number, workgroup: number, evaluate: boolean, seed: number) {
  const { ctx } = gpu;
  const rng = new Random(seed);
  const loss = Array.from({ length: m }, () => Math.fround(rng.uniform(0, 3)));
  const correct: number[] = Array.from({ length: m }, () => (rng.next() < 0.6 ? 1 : 0));
  const theta = Array.from({ length: P }, () => Math.fround(rng.uniform(-2, 2)));
  const decay = Array.from({ length: P }, (_, j) => (j % 5 === 0 ? 0 : 1));
  const offset = evaluate ? 2 : 0;
  const b = {
    loss: gpu.vector('loss', loss).buffer, correct: gpu.vector('correct', correct).buffer, theta: gpu.vector('θ', theta).buffer,
    decay: gpu.vector('decay', decay).buffer, thetaGood: gpu.vector('θ good', new Float32Array(P).fill(GUARD)).buffer,
    history: gpu.vector('history', new Float32Array(HISTORY.stride * HISTORY.epochs).fill(GUARD)).buffer,
    state: gpu.vector('state', initialState()).buffer,
  };
  const steps = new StepTable(ctx, 2, 'epoch end test');
  // Record 1 is the one used: a non-zero dynamic offset must select it.
  steps.write([{ epoch: 99, position: 0, count: 0, t: 0, rate: 0 }, { epoch: HISTORY.epoch, position: 0, count: m, t: 1, rate: 0 }]);
  const settings = { examples: m, parameters: P, lambda: LAMBDA, tolerance: 0.1, patience: 3, aboveFirst: false, earlyPatience: 2, minDelta: 0, firstEpoch: HISTORY.firstEpoch, historyStride: HISTORY.stride, historyOffset: offset };
  const end = await createEpochEnd(ctx, 'epoch end test', evaluate, settings, { ...b, steps }, workgroup);
  try {
    await ctx.submit('epoch end test', (enc) => {
      const pass = enc.beginComputePass();
      encodeDispatch(pass, end.dispatch, steps.stride);
      pass.end();
    });
    const [history, state, thetaGood] = await Promise.all([b.history, b.state, b.thetaGood].map((buf) => ctx.read(buf)));
    let cost = 0;
    let penalty = 0;
    for (const c of loss) cost += c;
    for (let j = 0; j < P; j++) penalty += decay[j]! * theta[j]! * theta[j]!;
    const J = cost / m + (LAMBDA / (2 * m)) * penalty;
    return { history: history!, state: state!, thetaGood: thetaGood!, theta, J, accuracy: correct.reduce((s, c) => s + c, 0) / m, slot: HISTORY.stride * (HISTORY.epoch - HISTORY.firstEpoch) + offset };
  } finally {
    steps.destroy();
    ctx.release(end.params);
  }
}

/** One model of a stacked case: its costs, Θ, settings and the state it starts the epoch end from. */
interface StackedModel {
  loss: number[];
  correct: number[];
  theta: number[];
  settings: EpochEndSettings;
  state: Float32Array<ArrayBuffer>;
}

/** A state to start from, in one branch of the guard or the early-stopping watch: fresh, a best J far below or far above, rises about to stop it, stopped already. */
function startState(rng: Random): Float32Array<ArrayBuffer> {
  const s = initialState();
  const branch = rng.int(0, 4);
  if (branch === 1) [s[STATE.best], s[STATE.rises], s[STATE.validationBest]] = [1e-3, 1, 1e-3];
  if (branch === 2) [s[STATE.best], s[STATE.validationBest]] = [1e6, 1e6];
  if (branch === 3) [s[STATE.best], s[STATE.rises], s[STATE.validationBest]] = [1e-3, 5, 1e-3];
  if (branch === 4) [s[STATE.stopped], s[STATE.best], s[STATE.stopEpoch]] = [1, 0.5, 2];
  s[8] = rng.int(0, 2); // STATE_VAL_WAIT: epochs since the best validation J
  return s;
}

function stackedModel(rng: Random, m: number, P: number, evaluate: boolean): StackedModel {
  const blowUp = rng.next() < 0.15;
  return {
    loss: Array.from({ length: m }, (_, i) => (blowUp && i === 0 ? Infinity : Math.fround(rng.uniform(0, 3)))),
    correct: Array.from({ length: m }, () => (rng.next() < 0.6 ? 1 : 0)),
    theta: Array.from({ length: P }, () => Math.fround(rng.uniform(-2, 2))),
    settings: {
      examples: m, parameters: P, lambda: evaluate ? 0 : [0, 0.1, 3][rng.int(0, 2)]!, tolerance: [0, 0.1][rng.int(0, 1)]!, patience: rng.int(1, 3), aboveFirst: rng.next() < 0.5,
      earlyPatience: evaluate ? rng.int(0, 3) : 0, minDelta: evaluate ? [0, 0.01][rng.int(0, 1)]! : 0,
      firstEpoch: HISTORY.firstEpoch, historyStride: HISTORY.stride, historyOffset: evaluate ? 2 : 0,
    },
    state: startState(rng),
  };
}

/** What epoch_end writes for each model on its own buffers: [history, state, θ_good]. */
async function endsAlone(gpu: Scratch, models: StackedModel[], decay: number[], evaluate: boolean, steps: StepTable): Promise<Float32Array[][]> {
  const out: Float32Array[][] = [];
  for (const md of models) {
    const P = md.theta.length;
    const b = {
      loss: gpu.vector('loss', md.loss).buffer, correct: gpu.vector('correct', md.correct).buffer, theta: gpu.vector('θ', md.theta).buffer, decay: gpu.vector('decay', decay).buffer,
      thetaGood: gpu.vector('θ good', new Float32Array(P).fill(GUARD)).buffer, history: gpu.vector('history', new Float32Array(HISTORY.stride * HISTORY.epochs).fill(GUARD)).buffer,
      state: gpu.vector('state', md.state).buffer,
    };
    const end = await createEpochEnd(gpu.ctx, 'alone', evaluate, md.settings, { ...b, steps });
    try {
      await gpu.ctx.submit('alone', (enc) => {
        const pass = enc.beginComputePass();
        encodeDispatch(pass, end.dispatch, steps.stride);
        pass.end();
      });
      out.push(await Promise.all([b.history, b.state, b.thetaGood].map((buf) => gpu.ctx.read(buf))));
    } finally {
      gpu.ctx.release(end.params);
    }
  }
  return out;
}

/** What epoch_end_stacked writes for all the models at once, stacked with `first`, unstacked per model: [history, state, θ_good]. */
async function endsStacked(gpu: Scratch, models: StackedModel[], decay: number[], first: number, evaluate: boolean, steps: StepTable): Promise<Float32Array[][]> {
  const count = models.length;
  const P = decay.length;
  const m = models[0]!.loss.length;
  const stack = (values: (md: StackedModel) => ArrayLike<number>, floats: number) => {
    const all = new Float32Array(count * floats);
    models.forEach((md, i) => all.set(values(md), i * floats));
    return all;
  };
  const ranges = models.map((_, i) => stackedRanges(P, first, count, i));
  const theta = new Float32Array(count * P);
  models.forEach((md, i) => ranges[i]!.forEach(([from, to, n]) => theta.set(md.theta.slice(from, from + n), to)));
  const historyFloats = HISTORY.stride * HISTORY.epochs;
  const b = {
    loss: gpu.vector('loss', stack((md) => md.loss, m)).buffer, correct: gpu.vector('correct', stack((md) => md.correct, m)).buffer,
    theta: gpu.vector('θ', theta).buffer, decay: gpu.vector('decay', decay).buffer, thetaGood: gpu.vector('θ good', new Float32Array(count * P).fill(GUARD)).buffer,
    history: gpu.vector('history', new Float32Array(count * historyFloats).fill(GUARD)).buffer, state: gpu.vector('state', stack((md) => md.state, STATE.size)).buffer,
  };
  const end = await createStackedEpochEnd(gpu.ctx, 'stacked', evaluate, { models: count, first, rest: P - first }, models.map((md) => md.settings), historyFloats, { ...b, steps });
  try {
    await gpu.ctx.submit('stacked', (enc) => {
      const pass = enc.beginComputePass();
      encodeDispatch(pass, end.dispatch, steps.stride);
      pass.end();
    });
    const [history, state, thetaGood] = await Promise.all([b.history, b.state, b.thetaGood].map((buf) => gpu.ctx.read(buf)));
    return models.map((_, i) => {
      const good = new Float32Array(P);
      ranges[i]!.forEach(([from, to, n]) => good.set(thetaGood!.subarray(to, to + n), from));
      return [history!.slice(i * historyFloats, (i + 1) * historyFloats), state!.slice(i * STATE.size, (i + 1) * STATE.size), good];
    });
  } finally {
    for (const buffer of end.made) gpu.ctx.release(buffer);
  }
}

const cases: GpuCase[] = [
  {
    name: `epoch_end: J, accuracy, the history slot, the state and θ_good of a new best match float64 — workgroups of ${WORKGROUPS.join(', ')} (this adapter's pick among them), m and P of ${SIZES.join(', ')}`,
    async run(gpu) {
      check(WORKGROUPS.includes(epochEndWorkgroup(gpu.ctx)), `this adapter's epoch end takes a workgroup of ${epochEndWorkgroup(gpu.ctx)}, which this case does not cover`);
      for (const workgroup of WORKGROUPS) {
        for (const [i, m] of SIZES.entries()) {
          const P = SIZES[SIZES.length - 1 - i]!;
          const what = `workgroup ${workgroup}, m ${m}, P ${P}`;
          const r = await epochEnd(gpu, m, P, workgroup, false, 100 * workgroup + i);
          assertClose(`${what}: [J, accuracy]`, [r.history[r.slot]!, r.history[r.slot + 1]!], [r.J, r.accuracy], { atol: 1e-6, rtol: 1e-5 });
          r.history.forEach((v, e) => check(e === r.slot || e === r.slot + 1 || Object.is(v, GUARD), `${what}: history[${e}] = ${v}, outside epoch ${HISTORY.epoch}'s slot`));
          // The first epoch's J is a new best: kept in the state, and θ copied to θ_good exactly.
          check(r.state[STATE.best] === r.history[r.slot] && r.state[STATE.bestEpoch] === HISTORY.epoch && r.state[STATE.stopped] === 0, `${what}: state ${Array.from(r.state).join(', ')}`);
          r.theta.forEach((t, j) => check(r.thetaGood[j] === t, `${what}: θ_good[${j}] = ${r.thetaGood[j]}, θ = ${t}`));
        }
      }
    },
  },
  {
    name: 'epoch_end (EVALUATE): a validation pass writes its J and accuracy at its own offset, and a new best validation J into the state, for every workgroup',
    async run(gpu) {
      for (const workgroup of WORKGROUPS) {
        for (const [m, P] of [[1, 3], [65, 17], [1000, 64]] as const) {
          const what = `workgroup ${workgroup}, m ${m}, P ${P}`;
          const r = await epochEnd(gpu, m, P, workgroup, true, 7 * workgroup + m);
          assertClose(`${what}: validation [J, accuracy]`, [r.history[r.slot]!, r.history[r.slot + 1]!], [r.J, r.accuracy], { atol: 1e-6, rtol: 1e-5 });
          r.history.forEach((v, e) => check(e === r.slot || e === r.slot + 1 || Object.is(v, GUARD), `${what}: history[${e}] = ${v}, outside the validation slot`));
          check(r.state[STATE.validationBest] === r.history[r.slot] && r.state[STATE.validationBestEpoch] === HISTORY.epoch, `${what}: validation best ${r.state[STATE.validationBest]} at epoch ${r.state[STATE.validationBestEpoch]}`);
        }
      }
    },
  },
  {
    name: 'epoch_end_stacked: every model of a group gets, bit for bit, the history slot, state and θ_good epoch_end writes on its own buffers — 1, 2 and 7 models, Θ stacked whole or split, m and P across the workgroup, each model with its own λ, tolerance, patience and early stopping, from states in every branch (new best, rise, stop, stopped, J not finite)',
    async run(gpu) {
      const decayOf = (P: number) => Array.from({ length: P }, (_, j) => (j % 5 === 0 ? 0 : 1));
      const steps = new StepTable(gpu.ctx, 2, 'stacked epoch end test');
      const seen = new Set<string>();
      try {
        for (const [c, [count, m, P, first]] of ([[1, 1, 3, 0], [2, 5, 17, 12], [7, 65, 1000, 0], [7, 3, 1000, 400], [2, 1000, 1, 0]] as const).entries()) {
          for (const evaluate of [false, true]) {
            // Epoch 1, the fit's first (its first J kept), or epoch 3.
            const epoch = c % 2 === 0 ? HISTORY.firstEpoch : HISTORY.epoch;
            steps.write([{ epoch: 99, position: 0, count: 0, t: 0, rate: 0 }, { epoch, position: 0, count: m, t: 1, rate: 0 }]);
            const rng = new Random(31 * c + (evaluate ? 1 : 0));
            const models = Array.from({ length: count }, () => stackedModel(rng, m, P, evaluate));
            const alone = await endsAlone(gpu, models, decayOf(P), evaluate, steps);
            const stacked = await endsStacked(gpu, models, decayOf(P), first, evaluate, steps);
            for (let i = 0; i < count; i++) {
              const [, state, good] = alone[i]!;
              if (state![STATE.stopped] !== models[i]!.state[STATE.stopped]) seen.add(state![STATE.stopped] === 1 ? 'stopped by the guard' : 'stopped early');
              if (good![0] !== GUARD) seen.add(evaluate ? 'a best validation θ kept' : 'a best θ kept');
              for (const [k, what] of ['history', 'state', 'θ_good'].entries()) {
                const [a, b] = [alone[i]![k]!, stacked[i]![k]!];
                a.forEach((v, e) => check(Object.is(v, b[e]), `${count} models (m ${m}, P ${P}, first ${first}${evaluate ? ', EVALUATE' : ''}), model ${i}: ${what}[${e}] stacked ${b[e]}, alone ${v}`));
              }
            }
          }
        }
        // The models went through every outcome.
        check(seen.size === 4, `outcomes seen: ${[...seen].join(', ')}`);
      } finally {
        steps.destroy();
      }
    },
  },
];

export const epochEndCases = cases;
