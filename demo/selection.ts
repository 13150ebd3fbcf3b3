// The Model selection tab: the course's choice of λ for the digit classifier, made on the GPU. A
// validation curve — J_train and J_cv of 400-25-10 against λ on a log axis, six λ trained at once
// (validationCurve, one upload of the data) — with the chosen λ, the lowest J_cv, marked; then the
// learning curves at that λ — J_train and J_cv against m — and the course's reading of both (high
// bias: both high and close; high variance: J_cv far above J_train). J is the examples' mean cost
// without the λ term. The curves are written into a GPU buffer and drawn from it like every plot.

import { BufferUsage, NeuralNetwork, type Spread, learningCurve, validationCurve } from '../src/index.js';
import { type App, byId, showError } from './app.js';
import { pageBuffer } from './buffers.js';
import { Chart } from './chart.js';
import { drawLambdaCurve } from './curve-chart.js';
import { BLUE, ORANGE } from './plane-grid.js';

/** λ from 10⁻³ to 10², a decade apart: evenly spaced on the log axis. */
const LAMBDAS = [0.001, 0.01, 0.1, 1, 10, 100];
/** Training set sizes m of the learning curves, evenly spaced. */
const SIZES = [400, 800, 1200, 1600, 2000];
/** The first 2,000 training digits train; the next 500 are the cross-validation set (the test digits stay untouched). */
const TRAIN = 2000;
const CV = 500;
const SETTINGS = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 100, epochs: 15 };

interface Curves {
  lambdas: { train: Spread[]; validation: Spread[]; best: number };
  sizes: { train: Spread[]; validation: Spread[] };
}

/** What the curves say, in the course's words, from their numbers. */
export function reading(c: Curves): string {
  const { train, validation, best } = c.lambdas;
  const first = LAMBDAS.length - 1;
  const gap = validation[0]!.mean - train[0]!.mean;
  const high = `At λ = ${LAMBDAS[first]} both are high (J_train ${train[first]!.mean.toFixed(3)}, J_cv ${validation[first]!.mean.toFixed(3)}) and close: high bias, the penalty leaves the network too simple.`;
  const low = `At λ = ${LAMBDAS[0]} J_cv is ${gap.toFixed(3)} above J_train (${train[0]!.mean.toFixed(3)}): ${gap > 2 * Math.abs(validation[first]!.mean - train[first]!.mean) ? 'high variance, the network fits the training digits better than it generalises' : 'little variance at this size'}.`;
  const s = c.sizes;
  const end = SIZES.length - 1;
  const moves = (a: number, b: number) => `${b > a ? 'rises' : 'falls'} from ${a.toFixed(3)} to ${b.toFixed(3)}`;
  // With the same epochs for every m, a smaller set also gets fewer steps: its J_train can be higher, not lower.
  const steps = s.train[end]!.mean < s.train[0]!.mean ? ` (${SETTINGS.epochs} epochs each: a smaller set also gets fewer steps)` : '';
  const learning = `At λ = ${best}, as m grows from ${SIZES[0]} to ${SIZES[end]} J_cv ${moves(s.validation[0]!.mean, s.validation[end]!.mean)} and J_train ${moves(s.train[0]!.mean, s.train[end]!.mean)}${steps}` +
    `${s.validation[end]!.mean - s.train[end]!.mean > 0.05 ? ': the gap that is left says more examples would still help.' : ': they meet, so more examples would not help much.'}`;
  return `${low} ${high} The lowest J_cv is at λ = ${best}, the λ chosen. ${learning}`;
}

export function setupSelectionTab(app: App): { show(): void } {
  const status = byId('sel-status');
  const run = byId<HTMLButtonElement>('sel-run');
  const byLambda = new Chart(byId('sel-validation'), app, 380, 260, { left: 52, right: 12, top: 8, bottom: 34 });
  const byM = new Chart(byId('sel-learning'), app, 380, 260, { left: 52, right: 12, top: 8, bottom: 34 });
  const values = pageBuffer(app.ctx, 'demo selection curves', 2 * (LAMBDAS.length + SIZES.length) * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST);
  let running = false;

  function draw(c: Curves): void {
    const curves = [c.lambdas.train, c.lambdas.validation, c.sizes.train, c.sizes.validation].flatMap((s) => s.map((v) => v.mean));
    const top = curves.reduce((most, v) => Math.max(most, v), 0) * 1.1;
    const mean = (s: Spread[]) => s.map((v) => v.mean);
    drawLambdaCurve(app, byLambda, values, 0, LAMBDAS, { train: mean(c.lambdas.train), validation: mean(c.lambdas.validation), best: c.lambdas.best }, top);
    app.ctx.device.queue.writeBuffer(values, 2 * LAMBDAS.length * 4, new Float32Array(curves.slice(2 * LAMBDAS.length)));
    const mx = [SIZES[0]!, SIZES.at(-1)!] as const;
    byM.drawAxes({ x: mx, y: [0, top], xLabel: 'm, training examples', yLabel: 'J (no λ term)' });
    byM.draw([app.plotter.lines({
      rect: byM.rect, x: mx, y: [0, top],
      series: [BLUE, ORANGE].map((color, i) => ({ buffer: values, offset: 2 * LAMBDAS.length + i * SIZES.length, count: SIZES.length, x0: mx[0], dx: SIZES[1]! - SIZES[0]!, color: [...color] as [number, number, number], width: 2 * byM.ratio })),
    })]);
  }

  async function compute(): Promise<Curves> {
    const { x, y } = app.digits.train;
    const rows = (from: number, count: number) => ({ x: { rows: count, cols: 400, data: x.data.subarray(from * 400, (from + count) * 400) }, y: Array.from(y.subarray(from, from + count)) });
    const train = rows(0, TRAIN);
    const cv = rows(TRAIN, CV);
    const make = () => new NeuralNetwork(app.ctx, { layers: [400, 25, 10], output: 'softmax', seed: 1 });
    const total = LAMBDAS.length + SIZES.length;
    const curve = await validationCurve(make, train.x, train.y, {
      name: 'lambda', values: LAMBDAS, validation: cv, train: SETTINGS,
      onProgress: (done) => void (status.textContent = `Training ${LAMBDAS.length} networks at once, one λ each: ${done} of ${LAMBDAS.length} done…`),
    });
    const best = curve.best as number;
    status.textContent = `λ = ${best} chosen; the learning curves at it: ${LAMBDAS.length} of ${total} networks done…`;
    const sizes = await learningCurve(make, train.x, train.y, { sizes: SIZES, validation: cv, train: { ...SETTINGS, lambda: best } });
    return { lambdas: { train: curve.train, validation: curve.validation, best }, sizes: { train: sizes.train, validation: sizes.validation } };
  }

  run.addEventListener('click', () => {
    if (running) return;
    running = true;
    run.disabled = true;
    status.classList.remove('error');
    const t0 = performance.now();
    void compute().then(
      (c) => {
        draw(c);
        byId('sel-reading').textContent = reading(c);
        status.textContent = `${LAMBDAS.length + SIZES.length} networks trained in ${((performance.now() - t0) / 1000).toFixed(1)} s; λ = ${c.lambdas.best} chosen (dashed).`;
        status.dataset.curves = JSON.stringify(c);
        status.dataset.done = String(Date.now());
      },
      (e) => showError(status, e),
    ).finally(() => {
      running = false;
      run.disabled = false;
    });
  });
  return { show: () => void (status.textContent ||= 'Press Run: six networks (one per λ) train at once on 2,000 digits, then five more for the learning curves.') };
}
