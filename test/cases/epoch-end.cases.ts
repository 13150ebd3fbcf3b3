// The epoch end against float64: J = (1/m)Σ cost + (λ/2m)Σ decay·θ², the accuracy, the history
// slot it writes (and nothing else), the state and θ_good of a new best — for every workgroup the
// kernel may be built with (4 on a software adapter, 64 on a GPU; 1 and 16 as well) and for sizes
// on each side of them (m and P of 1, one under, at and over a workgroup, and 1,000).

import { encodeDispatch } from '../../src/gpu/kernel.js';
import { STATE, createEpochEnd, epochEndWorkgroup, initialState } from '../../src/kernels/epoch_end.js';
import { Random } from '../../src/random.js';
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
];

export const epochEndCases = cases;
