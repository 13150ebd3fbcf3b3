// The playground's validation curve: the network the editor describes, on the 2-D points and the
// inputs switched on, trained once per λ — six networks at once (validationCurve, one upload) —
// and scored on the test points; J_train and J_cv against log₁₀ λ with the λ of the lowest J_cv
// dashed, as the Model selection tab does for the digits.

import { NeuralNetwork, type OptimizerName, validationCurve } from '../../src/index.js';
import { type App, byId, showError } from '../app.js';
import { pageBuffer } from '../buffers.js';
import { Chart } from '../chart.js';
import { drawLambdaCurve } from '../curve-chart.js';
import { BufferUsage } from '../../src/index.js';
import type { Structure } from './editor.js';

const LAMBDAS = [0.001, 0.01, 0.1, 1, 10, 100];
const EPOCHS = 200;

/** What the curve needs of the playground when its button is pressed. */
export interface CurveSource {
  structure(): Structure;
  /** The training and test points as the network takes them (their feature rows). */
  data(): { train: { x: number[][]; y: number[] }; test: { x: number[][]; y: number[] } };
  field(name: string): string;
  /** Stops playing; resolves when the playground is idle. */
  idle(): Promise<void>;
}

export function setupPlaygroundCurve(app: App, source: CurveSource): void {
  const button = byId<HTMLButtonElement>('pg-curve');
  const note = byId('pg-curve-note');
  let chart: Chart | undefined;
  const values = pageBuffer(app.ctx, 'playground validation curve', 2 * LAMBDAS.length * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST);
  button.addEventListener('click', () => {
    button.disabled = true;
    note.classList.remove('error');
    void (async () => {
      await source.idle();
      const s = source.structure();
      const { train, test } = source.data();
      const layers = [train.x[0]!.length, ...s.hidden, s.output === 'softmax' ? 2 : 1];
      note.textContent = `Training ${LAMBDAS.length} ${layers.join('-')} networks at once, one per λ, ${EPOCHS} epochs each…`;
      const batch = source.field('batch');
      const curve = await validationCurve(() => new NeuralNetwork(app.ctx, { layers, activation: s.activations, output: s.output, seed: 1, normalize: false }), train.x, train.y, {
        name: 'lambda', values: LAMBDAS, validation: test,
        train: { epochs: EPOCHS, optimizer: source.field('optimizer') as OptimizerName, learningRate: Number(source.field('alpha')), batchSize: batch === 'full' ? 'full' : Number(batch) },
      });
      const [jt, jv] = [curve.train.map((v) => v.mean), curve.validation.map((v) => v.mean)];
      chart ??= new Chart(byId('pg-selection'), app, 330, 230, { left: 52, right: 10, top: 8, bottom: 34 });
      drawLambdaCurve(app, chart, values, 0, LAMBDAS, { train: jt, validation: jv, best: curve.best as number }, jt.concat(jv).reduce((a, v) => Math.max(a, v), 0) * 1.1);
      note.textContent = `λ = ${curve.best} gives the lowest J_cv (${jv.reduce((a, v) => Math.min(a, v), Infinity).toFixed(3)}); at λ = ${LAMBDAS.at(-1)} J_train is ${jt.at(-1)!.toFixed(3)} (high bias), at λ = ${LAMBDAS[0]} the gap J_cv − J_train is ${(jv[0]! - jt[0]!).toFixed(3)}.`;
      note.dataset.curve = JSON.stringify({ train: jt, validation: jv, best: curve.best });
      note.dataset.done = String(Date.now());
    })().catch((e) => showError(note, e)).finally(() => {
      button.disabled = false;
    });
  });
}
