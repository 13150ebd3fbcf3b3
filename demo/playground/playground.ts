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

/** The tab's GPU buffers: the grid's feature rows and input maps, the predictions over the grid, the cost history and a frame's. */
function playgroundBuffers(app: App) {
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
  const buffer = (label: string, bytes: number) => pageBuffer(app.ctx, `playground ${label}`, bytes, usage);
  return {
    grid: buffer('grid', GRID * GRID * FEATURES.length * 4),
    inputs: buffer('input maps', GRID * GRID * FEATURES.length * 4),
    predictions: buffer('predictions', GRID * GRID * 2 * 4),
    history: buffer('history', HISTORY_EPOCHS * STRIDE * 4),
    frameHistory: buffer('frame history', MAX_PER_FRAME * STRIDE * 4),
  };
}

/** The training and test cost per epoch, drawn from the history buffer. */
function costChart(app: App, history: GPUBuffer): { draw(epochs: number, maxCost: number): void; gpu: Chart['gpu'] } {
  const costs = new Chart(byId('pg-cost'), app, 330, 230, { left: 52, right: 10, top: 8, bottom: 34 });
  const series = (offset: number, color: readonly number[]) => ({ buffer: history, offset, stride: STRIDE, count: 1, x0: 1, color: [...color] as [number, number, number], width: 2 * costs.ratio });
  const layer = app.plotter.lines({ rect: costs.rect, x: [0, 20], y: [0, 1], series: [series(0, BLUE), series(2, ORANGE)] });
  return {
    gpu: costs.gpu,
    draw(epochs, maxCost) {
      const x = [0, Math.max(20, epochs)] as const;
      const y = [0, Math.max(0.1, maxCost * 1.05)] as const;
      costs.drawAxes({ x, y, xLabel: 'epoch', yLabel: 'J/m' });
      layer.update({ x, y, series: [0, 2].map((o, i) => ({ ...series(o, i ? ORANGE : BLUE), count: Math.max(1, epochs) })) });
      costs.draw([layer]);
    },
  };
}

/** A frame's figures: accuracies, epochs, speed, and the status line (with the data attributes the checks read). */
function showReport(status: HTMLElement, r: TrainingResult, epochs: number, seconds: number): void {
  const last = r.history.at(-1)!;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);
  byId('pg-test-accuracy').textContent = pct(last.validation?.accuracy);
  byId('pg-train-accuracy').textContent = pct(last.accuracy);
  byId('pg-epochs').textContent = String(epochs);
  byId('pg-speed').textContent = (r.epochs / seconds).toFixed(1);
  status.textContent = `Epoch ${epochs}: training cost ${last.cost.toFixed(4)}, test cost ${last.validation?.cost.toFixed(4)}, test accuracy ${pct(last.validation?.accuracy)}.`;
  status.dataset.epochs = String(epochs);
  status.dataset.testAccuracy = String(last.validation?.accuracy);
}

/** The controls: Play/Pause, Step, Reset, the feature toggles and the data's fields. */
function listenToControls(form: HTMLFormElement, play: HTMLButtonElement, on: { play(): void; step(): void; reset(): void; features(): void; data(): void }): void {
  play.addEventListener('click', on.play);
  byId('pg-step').addEventListener('click', on.step);
  byId('pg-reset').addEventListener('click', on.reset);
  for (const box of form.querySelectorAll<HTMLInputElement>('input[name=feature]')) box.addEventListener('change', on.features);
  for (const name of ['data', 'noise', 'points', 'test', 'seed']) (form.elements.namedItem(name) as HTMLElement).addEventListener('change', on.data);
}

/** The tab's state and what it does: a network of the editor's structure trained frame after frame. */
class PlaygroundTab {
  readonly form = byId<HTMLFormElement>('pg-form');
  readonly status = byId('pg-status');
  readonly play = byId<HTMLButtonElement>('pg-play');
  readonly buffers: ReturnType<typeof playgroundBuffers>;
  readonly points = gridPoints(SQUARE, SQUARE).data;
  features: Feature[] = [];
  structure!: Structure;
  data!: PlaygroundData;
  dataName: DataSetName = 'xor';
  net: NeuralNetwork | undefined;
  epochs = 0;
  /** The seed of Θ's random initialisation: Reset draws the next one. */
  initSeed = 0;
  maxCost = 0;
  playing = false;
  /** Every action runs after the one before: a Reset never frees a network a frame still trains. */
  queue: Promise<void> = Promise.resolve();
  readonly diagram: NetworkDiagram;
  readonly plane: DecisionMap;
  readonly costs: ReturnType<typeof costChart>;

  constructor(private readonly app: App) {
    this.buffers = playgroundBuffers(app);
    const { grid, inputs, predictions, history } = this.buffers;
    this.diagram = new NetworkDiagram(app, byId('pg-network'), grid, inputs, () => ({ buffer: predictions, classes: this.structure.output === 'softmax' ? 2 : 1 }));
    this.plane = new DecisionMap(app, byId('pg-output'), (p) => {
      this.data.train.x.push(p);
      this.data.train.y.push(Number(this.field('click')));
      this.plane.drawPoints(this.data);
      this.status.textContent = `Added a class ${this.field('click')} point at (${p[0].toFixed(2)}, ${p[1].toFixed(2)}) to the training set (${this.data.train.x.length} points).`;
    });
    this.costs = costChart(app, history);
  }

  field(name: string): string {
    return (this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  }

  /** Points as the network takes them: the rows of the features switched on. */
  rows(x: readonly (readonly [number, number])[]): number[][] {
    return featureRows(x, this.features);
  }

  serial(f: () => Promise<void>): Promise<void> {
    return (this.queue = this.queue.then(f).catch((e) => {
      this.playing = false;
      this.play.textContent = 'Play';
      showError(this.status, e);
    }));
  }

  /**
   * With no hidden layer, the straight boundary θᵀx = 0 the map is cut by (softmax's two units:
   * where their logits are equal, (θ⁽¹⁾ − θ⁽⁰⁾)ᵀx = 0): three numbers read back a frame, because
   * the line is what this view shows.
   */
  async boundary(): Promise<number[] | undefined> {
    if (this.structure.hidden.length > 0 || this.features.length > 2) return undefined;
    const [theta] = await this.net!.getWeights();
    return this.structure.output === 'softmax' ? [0, 1, 2].map((j) => theta![3 + j]! - theta![j]!) : Array.from(theta!);
  }

  /** The maps of the current Θ: predictions and hidden layers over the grid, then every chart. */
  async drawFrame(): Promise<void> {
    const { grid, predictions } = this.buffers;
    this.plane.setBoundary(await this.boundary());
    await this.net!.predictInto({ buffer: grid, rows: GRID * GRID, cols: this.features.length }, { buffer: predictions });
    await this.diagram.evaluate(this.net!);
    this.diagram.draw();
    this.plane.draw();
    this.costs.draw(this.epochs, this.maxCost);
    // On the copy path frames reach the canvases asynchronously: a frame ends when they are there.
    await Promise.all([this.diagram.chart.gpu, this.plane.chart.gpu, this.costs.gpu].map((g) => g.idle));
    this.status.dataset.frames = String(Number(this.status.dataset.frames ?? 0) + 1);
  }

  /** One frame: `count` epochs of training, their history put after the epochs before, and the maps redrawn. */
  async frame(count: number): Promise<void> {
    if (this.epochs + count > HISTORY_EPOCHS) {
      this.playing = false;
      this.status.textContent = `The chart holds ${HISTORY_EPOCHS} epochs: Reset to train a fresh network.`;
      return;
    }
    const { data } = this;
    const batch = this.field('batch');
    const t0 = performance.now();
    let result: TrainingResult;
    try {
      result = await this.net!.fit(this.rows(data.train.x), data.train.y, {
        epochs: count, batchSize: batch === 'full' ? 'full' : Number(batch), learningRate: Number(this.field('alpha')), lambda: Number(this.field('lambda')),
        optimizer: this.field('optimizer') as OptimizerName, validation: { x: this.rows(data.test.x), y: data.test.y }, historyBuffer: this.buffers.frameHistory, checkpointEvery: 0,
        // Frame after frame as one run: Adam's moments and step count go on (a changed optimiser starts afresh).
        continueOptimizer: true,
      });
    } catch (e) {
      this.playing = false;
      if (!(e instanceof DivergenceError)) throw e;
      this.status.textContent = `${e.message} Lower α, or Reset.`;
      this.status.classList.add('error');
      await this.drawFrame();
      return;
    }
    const { frameHistory, history } = this.buffers;
    await this.app.ctx.submit('playground history', (enc) => enc.copyBufferToBuffer(frameHistory, 0, history, this.epochs * STRIDE * 4, result.epochs * STRIDE * 4));
    this.epochs += result.epochs;
    for (const h of result.history) for (const c of [h.cost, h.validation?.cost ?? 0]) if (Number.isFinite(c)) this.maxCost = Math.max(this.maxCost, c);
    showReport(this.status, result, this.epochs, (performance.now() - t0) / 1000);
    await this.drawFrame();
  }

  /** A fresh random network of the editor's structure (Θ from `seed`) and an empty history. */
  async reset(seed = this.initSeed): Promise<void> {
    const { ctx } = this.app;
    const { grid, inputs, history, predictions } = this.buffers;
    const { structure, status } = this;
    this.net?.destroy();
    this.features = featuresOf(Array.from(this.form.querySelectorAll<HTMLInputElement>('input[name=feature]:checked'), (c) => c.value));
    ctx.device.queue.writeBuffer(grid, 0, featureGrid(this.points, this.features));
    ctx.device.queue.writeBuffer(inputs, 0, featureMaps(this.points, this.features));
    const K = structure.output === 'softmax' ? 2 : 1;
    const layers = [this.features.length, ...structure.hidden, K];
    this.net = new NeuralNetwork(ctx, { layers, activation: structure.activations, output: structure.output, seed, normalize: false });
    this.epochs = 0;
    this.maxCost = 0;
    ctx.device.queue.writeBuffer(history, 0, new Float32Array(HISTORY_EPOCHS * STRIDE).fill(NaN));
    this.diagram.build(this.net, structure.activations, this.features.map((f) => f.name));
    this.plane.setSource(predictions, K);
    const why = byId('pg-why');
    why.hidden = structure.hidden.length > 0;
    why.textContent = why.hidden ? '' : whyLinear(this.dataName, this.features);
    status.classList.remove('error');
    for (const id of ['pg-test-accuracy', 'pg-train-accuracy', 'pg-speed']) byId(id).textContent = '—';
    byId('pg-epochs').textContent = '0';
    status.dataset.epochs = '0';
    byId('pg-network').dataset.units = JSON.stringify(this.diagram.boxes);
    await this.drawFrame();
    status.textContent = `A fresh ${layers.join('-')} network (random Θ, seed ${seed}) on ${this.data.train.x.length} training and ${this.data.test.x.length} test points. Press Play.`;
  }

  newData(): void {
    this.dataName = this.field('data') as DataSetName;
    const noise = Math.max(0, Math.min(1, Number(this.field('noise')) || 0));
    this.data = makeData(this.dataName, Number(this.field('points')), noise, Number(this.field('test')), Number(this.field('seed')));
    this.plane.drawPoints(this.data);
  }

  async loop(): Promise<void> {
    while (this.playing) {
      await this.frame(Number(this.field('perFrame')));
      await new Promise(requestAnimationFrame);
    }
    this.play.textContent = 'Play';
  }
}

export function setupPlayground(app: App): { show(): void } {
  const tab = new PlaygroundTab(app);
  let started = false;
  /**
   * Stops playing now, at the user's action (the loop ends after its frame): a change queued
   * behind the running frame must not stop a Play pressed after it.
   */
  const stop = () => {
    tab.playing = false;
  };
  const fresh = () => tab.serial(async () => {
    tab.newData();
    await tab.reset();
  });
  const editor = setupEditor(tab.form, (s) => {
    stop();
    tab.structure = s;
    void tab.serial(() => tab.reset());
  });
  tab.structure = editor.structure();
  listenToControls(tab.form, tab.play, {
    play: () => {
      if (tab.playing) return stop();
      tab.playing = true;
      tab.play.textContent = 'Pause';
      void tab.serial(() => tab.loop());
    },
    step: () => void (!tab.playing && tab.serial(() => tab.frame(1))),
    reset: () => {
      stop();
      void tab.serial(() => tab.reset(++tab.initSeed));
    },
    features: () => {
      stop();
      void tab.serial(() => tab.reset());
    },
    data: () => {
      stop();
      void fresh();
    },
  });
  setupPlaygroundCurve(app, {
    structure: () => tab.structure, field: (name) => tab.field(name),
    data: () => ({ train: { x: tab.rows(tab.data.train.x), y: tab.data.train.y }, test: { x: tab.rows(tab.data.test.x), y: tab.data.test.y } }),
    idle: async () => {
      stop();
      await tab.queue;
    },
  });
  // The Backpropagation tab takes a point as the network does: the row of its features.
  app.playground = { network: () => tab.net, training: () => tab.playing, points: () => ({ x: tab.rows(tab.data.train.x), y: tab.data.train.y }) };
  return {
    show: () => {
      if (started) return;
      started = true;
      void fresh();
    },
  };
}
