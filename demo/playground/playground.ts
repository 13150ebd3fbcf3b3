// The Playground tab: a network on 2-D data (./data.ts), edited (./editor.ts), trained on the GPU
// a few epochs per frame, and drawn from GPU buffers after every frame — each unit's output
// over the plane and the weights (./diagram.ts), the decision regions with the points
// (./plane.ts), and the training and test cost per epoch. Each frame is one fit() of the frame's
// epochs (the test set as its validation set, its history written into a GPU buffer and copied
// after the epochs before, which the cost chart draws); the maps are predicted and drawn with no
// readback. The optimiser's state carries over from frame to frame (continueOptimizer), so the
// frames train exactly as one long fit would. Play, Pause, Step (one epoch) and Reset (a fresh
// random network).

import { BufferUsage, DivergenceError, NeuralNetwork, type OptimizerName, type TrainingResult } from '../../src/index.js';
import { type App, byId, showError } from '../app.js';
import { pageBuffer } from '../buffers.js';
import { Chart } from '../chart.js';
import { DATA_SETS, type DataSetName, LINEARLY_SEPARABLE, type PlaygroundData, makeData } from './data.js';
import { BLUE, GRID, ORANGE, gridPoints } from '../plane-grid.js';
import { NetworkDiagram, SQUARE } from './diagram.js';
import { FEATURES, type Feature, featureGrid, featureMaps, featureRows, featuresOf } from './features.js';
import { type Structure, setupEditor } from './editor.js';
import { DecisionMap } from './plane.js';
import { setupPlaygroundCurve } from './curve.js';

/** Epochs the cost chart keeps (a Reset starts it again). */
const HISTORY_EPOCHS = 5000;
const MAX_PER_FRAME = 25;
const STRIDE = 4; // floats per epoch in a history buffer: [J/m, accuracy, test J/m, test accuracy]

/** Why a network with no hidden layer can or cannot learn the set (shown when it has none). */
function whyLinear(data: DataSetName, on: readonly Feature[]): string {
  if (on.length > 2) {
    return `With no hidden layer this network is logistic regression on ${on.map((f) => f.name).join(', ')}: its boundary θᵀφ(x) = 0 is a curve in the plane, not a line — ` +
      'x₁x₂ alone gives XOR its saddle, x₁² and x₂² a circle: the non-linear hypotheses of the lecture, with the features chosen by hand instead of learned by hidden units.';
  }
  const start = 'With no hidden layer this network is logistic regression, h = g(θ₀ + θ₁x₁ + θ₂x₂): its decision boundary θᵀx = 0 is a straight line (dashed on the map).';
  if (LINEARLY_SEPARABLE[data]) return `${start} The ${DATA_SETS[data]} classes can be split by one, so no hidden unit is needed.`;
  const shape = { xor: 'XOR puts one class in two opposite corners and the other class in the other two', circles: 'one class is a disc inside a ring of the other', spirals: 'the two classes wind around each other' }[data as 'xor' | 'circles' | 'spirals'];
  return `${start} Here ${shape}: no straight line has one class on each side, so the best a line can do is put about half of the points on the right side — the test accuracy stays near 50 %. A hidden layer gives the network several lines (each hidden unit's map is one) to bend into the boundary the data need: add one.`;
}

export function setupPlayground(app: App): { show(): void } {
  const { ctx, plotter } = app;
  const form = byId<HTMLFormElement>('pg-form');
  const status = byId('pg-status');
  const why = byId('pg-why');
  const play = byId<HTMLButtonElement>('pg-play');
  const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

  // The grid's points as rows of the features switched on, and each feature's map: rewritten when they change.
  const grid = pageBuffer(ctx, 'playground grid', GRID * GRID * FEATURES.length * 4, usage);
  const points = gridPoints(SQUARE, SQUARE).data;
  const inputs = pageBuffer(ctx, 'playground input maps', GRID * GRID * FEATURES.length * 4, usage);
  let features: Feature[] = [];
  const chosen = () => featuresOf(Array.from(form.querySelectorAll<HTMLInputElement>('input[name=feature]:checked'), (c) => c.value));
  const rows = (x: readonly (readonly [number, number])[]) => featureRows(x, features);
  const predictions = pageBuffer(ctx, 'playground predictions', GRID * GRID * 2 * 4, usage);
  const history = pageBuffer(ctx, 'playground history', HISTORY_EPOCHS * STRIDE * 4, usage);
  const frameHistory = pageBuffer(ctx, 'playground frame history', MAX_PER_FRAME * STRIDE * 4, usage);

  let structure: Structure;
  let data: PlaygroundData;
  let dataName: DataSetName = 'xor';
  let net: NeuralNetwork | undefined;
  let epochs = 0;
  /** The seed of Θ's random initialisation: Reset draws the next one. */
  let initSeed = 0;
  let maxCost = 0;
  let playing = false;
  let started = false;
  /** Every action runs after the one before: a Reset never frees a network a frame still trains. */
  let queue: Promise<void> = Promise.resolve();
  const serial = (f: () => Promise<void>) => (queue = queue.then(f).catch((e) => {
    playing = false;
    play.textContent = 'Play';
    showError(status, e);
  }));

  const diagram = new NetworkDiagram(app, byId('pg-network'), grid, inputs, () => ({ buffer: predictions, classes: structure.output === 'softmax' ? 2 : 1 }));
  const plane = new DecisionMap(app, byId('pg-output'), (p) => {
    data.train.x.push(p);
    data.train.y.push(Number(field('click')));
    plane.drawPoints(data);
    status.textContent = `Added a class ${field('click')} point at (${p[0].toFixed(2)}, ${p[1].toFixed(2)}) to the training set (${data.train.x.length} points).`;
  });
  const costs = new Chart(byId('pg-cost'), app, 330, 230, { left: 52, right: 10, top: 8, bottom: 34 });
  const series = (offset: number, color: readonly number[]) => ({ buffer: history, offset, stride: STRIDE, count: 1, x0: 1, color: [...color] as [number, number, number], width: 2 * costs.ratio });
  const costLayer = plotter.lines({ rect: costs.rect, x: [0, 20], y: [0, 1], series: [series(0, BLUE), series(2, ORANGE)] });

  function drawCosts(): void {
    const x = [0, Math.max(20, epochs)] as const;
    const y = [0, Math.max(0.1, maxCost * 1.05)] as const;
    costs.drawAxes({ x, y, xLabel: 'epoch', yLabel: 'J/m' });
    costLayer.update({ x, y, series: [0, 2].map((o, i) => ({ ...series(o, i ? ORANGE : BLUE), count: Math.max(1, epochs) })) });
    costs.draw([costLayer]);
  }

  /**
   * With no hidden layer, the straight boundary θᵀx = 0 the map is cut by (softmax's two units:
   * where their logits are equal, (θ⁽¹⁾ − θ⁽⁰⁾)ᵀx = 0): three numbers read back a frame, because
   * the line is what this view shows.
   */
  async function boundary(): Promise<number[] | undefined> {
    if (structure.hidden.length > 0 || features.length > 2) return undefined;
    const [theta] = await net!.getWeights();
    return structure.output === 'softmax' ? [0, 1, 2].map((j) => theta![3 + j]! - theta![j]!) : Array.from(theta!);
  }

  /** The maps of the current Θ: predictions and hidden layers over the grid, then every chart. */
  async function drawFrame(): Promise<void> {
    plane.setBoundary(await boundary());
    await net!.predictInto({ buffer: grid, rows: GRID * GRID, cols: features.length }, { buffer: predictions });
    await diagram.evaluate(net!);
    diagram.draw();
    plane.draw();
    drawCosts();
    // On the copy path frames reach the canvases asynchronously: a frame ends when they are there.
    await Promise.all([diagram.chart, plane.chart, costs].map((c) => c.gpu.idle));
    status.dataset.frames = String(Number(status.dataset.frames ?? 0) + 1);
  }

  function report(r: TrainingResult, seconds: number): void {
    const last = r.history.at(-1)!;
    const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);
    for (const h of r.history) for (const c of [h.cost, h.validation?.cost ?? 0]) if (Number.isFinite(c)) maxCost = Math.max(maxCost, c);
    byId('pg-test-accuracy').textContent = pct(last.validation?.accuracy);
    byId('pg-train-accuracy').textContent = pct(last.accuracy);
    byId('pg-epochs').textContent = String(epochs);
    byId('pg-speed').textContent = (r.epochs / seconds).toFixed(1);
    status.textContent = `Epoch ${epochs}: training cost ${last.cost.toFixed(4)}, test cost ${last.validation?.cost.toFixed(4)}, test accuracy ${pct(last.validation?.accuracy)}.`;
    status.dataset.epochs = String(epochs);
    status.dataset.testAccuracy = String(last.validation?.accuracy);
  }

  /** One frame: `count` epochs of training, their history put after the epochs before, and the maps redrawn. */
  async function frame(count: number): Promise<void> {
    if (epochs + count > HISTORY_EPOCHS) {
      playing = false;
      status.textContent = `The chart holds ${HISTORY_EPOCHS} epochs: Reset to train a fresh network.`;
      return;
    }
    const batch = field('batch');
    const t0 = performance.now();
    let result: TrainingResult;
    try {
      result = await net!.fit(rows(data.train.x), data.train.y, {
        epochs: count, batchSize: batch === 'full' ? 'full' : Number(batch), learningRate: Number(field('alpha')), lambda: Number(field('lambda')),
        optimizer: field('optimizer') as OptimizerName, validation: { x: rows(data.test.x), y: data.test.y }, historyBuffer: frameHistory, checkpointEvery: 0,
        // Frame after frame as one run: Adam's moments and step count go on (a changed optimiser starts afresh).
        continueOptimizer: true,
      });
    } catch (e) {
      playing = false;
      if (!(e instanceof DivergenceError)) throw e;
      status.textContent = `${e.message} Lower α, or Reset.`;
      status.classList.add('error');
      await drawFrame();
      return;
    }
    await ctx.submit('playground history', (enc) => enc.copyBufferToBuffer(frameHistory, 0, history, epochs * STRIDE * 4, result.epochs * STRIDE * 4));
    epochs += result.epochs;
    report(result, (performance.now() - t0) / 1000);
    await drawFrame();
  }

  /** A fresh random network of the editor's structure (Θ from `seed`) and an empty history. */
  async function reset(seed = initSeed): Promise<void> {
    net?.destroy();
    features = chosen();
    ctx.device.queue.writeBuffer(grid, 0, featureGrid(points, features));
    ctx.device.queue.writeBuffer(inputs, 0, featureMaps(points, features));
    const K = structure.output === 'softmax' ? 2 : 1;
    const layers = [features.length, ...structure.hidden, K];
    net = new NeuralNetwork(ctx, { layers, activation: structure.activations, output: structure.output, seed, normalize: false });
    epochs = 0;
    maxCost = 0;
    ctx.device.queue.writeBuffer(history, 0, new Float32Array(HISTORY_EPOCHS * STRIDE).fill(NaN));
    diagram.build(net, structure.activations, features.map((f) => f.name));
    plane.setSource(predictions, K);
    why.hidden = structure.hidden.length > 0;
    why.textContent = why.hidden ? '' : whyLinear(dataName, features);
    status.classList.remove('error');
    for (const id of ['pg-test-accuracy', 'pg-train-accuracy', 'pg-speed']) byId(id).textContent = '—';
    byId('pg-epochs').textContent = '0';
    status.dataset.epochs = '0';
    byId('pg-network').dataset.units = JSON.stringify(diagram.boxes);
    await drawFrame();
    status.textContent = `A fresh ${layers.join('-')} network (random Θ, seed ${seed}) on ${data.train.x.length} training and ${data.test.x.length} test points. Press Play.`;
  }

  function newData(): void {
    dataName = field('data') as DataSetName;
    data = makeData(dataName, Number(field('points')), Math.max(0, Math.min(1, Number(field('noise')) || 0)), Number(field('test')), Number(field('seed')));
    plane.drawPoints(data);
  }

  async function loop(): Promise<void> {
    while (playing) {
      await frame(Number(field('perFrame')));
      await new Promise(requestAnimationFrame);
    }
    play.textContent = 'Play';
  }

  /**
   * Stops playing now, at the user's action (the loop ends after its frame): a change queued
   * behind the running frame must not stop a Play pressed after it.
   */
  const stop = () => {
    playing = false;
  };
  const editor = setupEditor(form, (s) => {
    stop();
    structure = s;
    void serial(() => reset());
  });
  structure = editor.structure();
  play.addEventListener('click', () => {
    if (playing) {
      stop();
      return;
    }
    playing = true;
    play.textContent = 'Pause';
    void serial(loop);
  });
  byId('pg-step').addEventListener('click', () => {
    if (!playing) void serial(() => frame(1));
  });
  byId('pg-reset').addEventListener('click', () => {
    stop();
    void serial(() => reset(++initSeed));
  });
  for (const box of form.querySelectorAll<HTMLInputElement>('input[name=feature]')) {
    box.addEventListener('change', () => {
      stop();
      void serial(() => reset());
    });
  }
  for (const name of ['data', 'noise', 'points', 'test', 'seed']) {
    (form.elements.namedItem(name) as HTMLElement).addEventListener('change', () => {
      stop();
      void serial(async () => {
        newData();
        await reset();
      });
    });
  }

  setupPlaygroundCurve(app, {
    structure: () => structure, field,
    data: () => ({ train: { x: rows(data.train.x), y: data.train.y }, test: { x: rows(data.test.x), y: data.test.y } }),
    idle: async () => {
      stop();
      await queue;
    },
  });
  // The Backpropagation tab takes a point as the network does: the row of its features.
  app.playground = { network: () => net, training: () => playing, points: () => ({ x: rows(data.train.x), y: data.train.y }) };
  return {
    show: () => {
      if (started) return;
      started = true;
      void serial(async () => {
        newData();
        await reset();
      });
    },
  };
}
