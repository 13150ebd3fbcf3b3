// The Train tab: the settings, Train / Pause / Reset / Save / Load, the live cost and accuracy
// curves and the hidden units (./train-curves.ts: drawn from GPU buffers while the network
// trains — the trainer copies each epoch's history into a buffer the curves read; the
// hidden-unit tiles read Θ⁽¹⁾ where it lives) — and the gradient check. A TrainTab holds the
// tab's state; its methods are what its buttons do.

import type { DigitSettings } from '../cli/options.js';
import { ACTIVATION_NAMES, type ActivationName, ArgumentError, BufferUsage, DivergenceError, type EpochReport, NeuralNetwork, type NetworkJSON, type OptimizerName, Random, type TrainingRun } from '../src/index.js';
import { type App, byId, modelChanged, showError } from './app.js';
import { pageBuffer } from './buffers.js';
import { type Segment, TrainCurves } from './train-curves.js';

/** The form's settings: the same as the command line's (npm run train), one activation for every hidden layer. */
type Settings = DigitSettings & { activation: ActivationName };

function readSettings(form: HTMLFormElement): Settings {
  const get = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const num = (name: string, label: string, ok: (v: number) => boolean, expected: string) => {
    const v = Number(get(name));
    if (get(name) === '' || !ok(v)) throw new ArgumentError(label, `must be ${expected}, got "${get(name)}"`);
    return v;
  };
  const hiddenText = get('hidden');
  const hidden = hiddenText === '' ? [] : hiddenText.split(/[\s,-]+/).map(Number);
  if (!hidden.every((s) => Number.isInteger(s) && s >= 1 && s <= 4096)) {
    throw new ArgumentError('Hidden layers', `must be unit counts such as "25" or "100, 25" (each 1 … 4096), got "${hiddenText}"`);
  }
  const batchText = get('batch');
  const activation = get('activation') as ActivationName;
  if (!ACTIVATION_NAMES.includes(activation)) throw new ArgumentError('Activation', `must be one of ${ACTIVATION_NAMES.join(', ')}, got "${activation}"`);
  return {
    hidden,
    activation,
    output: get('output') === 'sigmoid' ? 'sigmoid' : 'softmax',
    lambda: num('lambda', 'λ', (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0'),
    alpha: num('alpha', 'α', (v) => Number.isFinite(v) && v > 0, 'a number > 0'),
    optimizer: get('optimizer') as OptimizerName,
    batch: batchText === 'full' ? 'full' : num('batch', 'Batch', (v) => Number.isInteger(v) && v >= 1 && v <= 8000, "an integer from 1 to 8000, or 'full'"),
    epochs: num('epochs', 'Epochs', (v) => Number.isInteger(v) && v >= 1 && v <= 10000, 'an integer from 1 to 10000'),
    seed: num('seed', 'Seed', (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'an integer from 0 to 4294967295'),
  };
}

function percent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(2)} %`;
}

type Save = (json: NetworkJSON, testAccuracy: number | null) => Promise<void>;

class TrainTab {
  private readonly form = byId<HTMLFormElement>('settings');
  private readonly status = byId('status');
  private readonly trainButton = byId<HTMLButtonElement>('train');
  private readonly pauseButton = byId<HTMLButtonElement>('pause');
  private readonly curves: TrainCurves;
  private run: TrainingRun | undefined;
  /** Settles when the Train button's whole run (training, then evaluation and saving) is over. */
  private trainingDone: Promise<void> = Promise.resolve();
  /** Set by Reset: the run it cancels ends without evaluating or saving the old network. */
  private resetting = false;

  constructor(
    private readonly app: App,
    private readonly save: Save,
  ) {
    this.curves = new TrainCurves(app);
    // The activation menu is the registry's list (src/activations.ts), σ first and chosen.
    const menu = this.form.elements.namedItem('activation') as HTMLSelectElement;
    menu.replaceChildren();
    for (const g of ACTIVATION_NAMES) menu.add(new Option(g === 'sigmoid' ? 'sigmoid (σ)' : g, g, g === 'sigmoid', g === 'sigmoid'));
  }

  setStatus(text: string, error?: unknown): void {
    this.status.classList.remove('error');
    if (error) showError(this.status, error);
    else this.status.textContent = text;
  }

  /** Forgets the curves and the numbers shown. */
  private clearHistory(): void {
    this.curves.clear();
    byId('epochs-trained').textContent = '0';
    for (const id of ['test-accuracy', 'train-accuracy', 'speed']) {
      byId(id).textContent = '—';
      delete byId(id).dataset.value;
    }
  }

  /** Makes `network` the current one (a new random one, or a loaded one) and forgets the curves. */
  adopt(network: NeuralNetwork, trained = false): void {
    const { app } = this;
    app.network?.destroy();
    app.network = network;
    app.trained = trained;
    this.clearHistory();
    this.curves.bindUnits(network);
    this.curves.schedule();
    modelChanged(app);
  }

  private freshNetwork(s: Settings): NeuralNetwork {
    return new NeuralNetwork(this.app.ctx, { layers: [400, ...s.hidden, 10], output: s.output, activation: s.activation, seed: s.seed });
  }

  /** Whether the current network is the one the settings describe (layers, output, activation): Train goes on with it. */
  private sameShape(s: Settings): boolean {
    const network = this.app.network;
    const layers = network?.layers;
    const output = network?.head === 'softmax' ? 'softmax' : 'sigmoid';
    return !!layers && layers.join('-') === [400, ...s.hidden, 10].join('-') && output === s.output && network!.activations.every((g) => g === s.activation);
  }

  /** The trained (or loaded) network's test and training accuracy shown, and the network saved. */
  async finish(): Promise<void> {
    const { app } = this;
    const network = app.network!;
    const [test, train] = [await network.cost(app.digits.test.x, app.digits.test.y), await network.cost(app.digits.train.x, app.digits.train.y)];
    byId('test-accuracy').textContent = percent(test.accuracy);
    byId('test-accuracy').dataset.value = String(test.accuracy);
    byId('train-accuracy').textContent = percent(train.accuracy);
    await this.save(await network.toJSON(), test.accuracy);
    app.trained = true;
    modelChanged(app);
  }

  /** The Train button: a fit of the settings' epochs, drawn as it goes, then evaluated and saved. */
  train(): void {
    this.trainingDone = this.trainOnce();
  }

  private async trainOnce(): Promise<void> {
    let s: Settings;
    try {
      s = readSettings(this.form);
    } catch (e) {
      this.setStatus('', e);
      return;
    }
    if (!this.sameShape(s)) this.adopt(this.freshNetwork(s));
    const segment = this.newSegment(s.epochs);
    const started = performance.now();
    try {
      this.run = this.startFit(s, segment, started);
    } catch (e) {
      this.curves.segments.pop();
      segment.buffer.destroy();
      this.setStatus('', e);
      return;
    }
    this.showTraining(true);
    this.setStatus(`Training ${this.app.network!.layers!.join('-')} for ${s.epochs} epochs…`);
    this.curves.schedule();
    try {
      await this.settle(this.run, segment, started);
    } finally {
      this.app.training = false;
      this.run = undefined;
      this.curves.planned = this.curves.epochsTrained();
      this.showTraining(false);
      this.curves.schedule();
    }
  }

  /** A history buffer for a fit of `epochs`, NaN until an epoch lands (a zeroed one drew a flat line at J = 0 during the first epoch). */
  private newSegment(epochs: number): Segment {
    const { app, curves } = this;
    const buffer = pageBuffer(app.ctx, `demo history ${curves.segments.length}`, 16 * epochs, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    app.ctx.device.queue.writeBuffer(buffer, 0, new Float32Array(4 * epochs).fill(NaN));
    const segment: Segment = { buffer, base: curves.epochsTrained(), epochs, done: 0 };
    curves.segments.push(segment);
    curves.planned = segment.base + epochs;
    return segment;
  }

  /** The fit, its history into the segment's buffer, a checkpoint kept in the browser every 2 epochs. */
  private startFit(s: Settings, segment: Segment, started: number): TrainingRun {
    const { app } = this;
    const network = app.network!;
    return network.fit(app.digits.train.x, app.digits.train.y, {
      epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: s.alpha, lambda: s.lambda, seed: s.seed + segment.base,
      validation: app.digits.test, historyBuffer: segment.buffer,
      // Θ comes to the CPU every 2 epochs (never waited on) and is kept in the browser: a lost
      // GPU device then costs at most 2 epochs — Continue restores it.
      checkpointEvery: 2,
      onCheckpoint: ({ epoch, theta }) => {
        const json: NetworkJSON = {
          format: 'wgsl-learn/network', version: 1, layers: network.layers!, head: network.head, activations: [...network.activations],
          theta: Array.from(theta), normalization: null, epochs: segment.base + epoch,
        };
        void this.save(json, null);
      },
      onEpoch: (r) => this.epochDone(r, segment, started),
    });
  }

  /** An epoch's report: its curves drawn, and its numbers shown with the frame that draws them. */
  private epochDone(r: EpochReport, segment: Segment, started: number): void {
    const { curves } = this;
    segment.done = r.epoch + 1;
    curves.reports.push(r);
    const seconds = (performance.now() - started) / 1000;
    const m = this.app.digits.train.x.rows;
    const [speed, epochs] = [`${Math.round((segment.done * m) / seconds).toLocaleString('en')}`, String(curves.epochsTrained())];
    curves.shown = () => {
      byId('speed').textContent = speed;
      byId('epochs-trained').textContent = epochs;
      byId('train-accuracy').textContent = percent(r.accuracy);
      byId('test-accuracy').textContent = percent(r.validation?.accuracy);
      byId('test-accuracy').dataset.value = String(r.validation?.accuracy);
      if (this.run?.state === 'running') this.setStatus(`Epoch ${epochs} of ${curves.planned}: J/m ${r.cost.toFixed(4)}, test accuracy ${percent(r.validation?.accuracy)}`);
    };
    curves.schedule();
  }

  /** Waits for the fit; then (unless Reset cancelled it) evaluates and saves, or shows why it stopped. */
  private async settle(run: TrainingRun, segment: Segment, started: number): Promise<void> {
    try {
      const result = await run;
      await this.curves.numbersShown();
      segment.epochs = segment.done = result.epochs;
      this.app.training = false;
      if (this.resetting) return;
      const seconds = (performance.now() - started) / 1000;
      await this.finish();
      this.setStatus(`${result.status === 'completed' ? 'Trained' : 'Stopped after'} ${result.epochs} epochs in ${seconds.toFixed(1)} s. Test accuracy ${byId('test-accuracy').textContent}.`);
    } catch (e) {
      await this.curves.numbersShown();
      this.app.training = false;
      segment.epochs = segment.done;
      this.setStatus('', e);
      if (e instanceof DivergenceError && !this.resetting) await this.finish().catch((err: unknown) => showError(this.status, err));
    }
  }

  /** The page's state and buttons while a fit runs, and after. */
  private showTraining(on: boolean): void {
    this.app.training = on;
    document.body.dataset.state = on ? 'training' : 'trained';
    this.trainButton.disabled = on;
    this.pauseButton.disabled = !on;
    if (!on) this.pauseButton.textContent = 'Pause';
  }

  /** Pause / Resume. */
  pause(): void {
    const { run } = this;
    if (!run) return;
    if (run.state === 'paused') {
      run.resume();
      this.pauseButton.textContent = 'Pause';
      this.setStatus('Resumed.');
    } else {
      run.pause();
      this.pauseButton.textContent = 'Resume';
      this.setStatus(`Paused after epoch ${this.curves.epochsTrained()}.`);
    }
  }

  /** Reset: a running fit cancelled (and not saved), then a fresh random network of the settings. */
  async reset(): Promise<void> {
    try {
      const s = readSettings(this.form);
      if (this.run) {
        this.resetting = true;
        this.run.cancel();
        await this.trainingDone;
        this.resetting = false;
      }
      this.adopt(this.freshNetwork(s));
      document.body.dataset.state = 'ready';
      this.setStatus(`A new ${[400, ...s.hidden, 10].join('-')} network of ${s.activation} units, randomly initialised (seed ${s.seed}). Press Train.`);
    } catch (e) {
      this.setStatus('', e);
    }
  }

  /** Save: the model as a JSON download. */
  download(): void {
    const { app } = this;
    try {
      if (!app.network || app.training) throw new Error(app.training ? 'Training is running: pause does not free the weights; wait for it to end or press Reset.' : 'There is no model to save yet.');
      void app.network.toJSON().then((json) => {
        const url = URL.createObjectURL(new Blob([JSON.stringify(json)], { type: 'application/json' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `wgsl-learn-${json.layers.join('-')}.json`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        this.setStatus(`Saved ${a.download}.`);
      }, (e: unknown) => this.setStatus('', e));
    } catch (e) {
      this.setStatus('', e);
    }
  }

  /** Load: a model file of 400 inputs and 10 outputs becomes the current network. */
  async load(file: File): Promise<void> {
    const { app } = this;
    try {
      if (app.training) throw new Error('Training is running: wait for it to end, or press Reset, before loading a model.');
      let json: NetworkJSON;
      try {
        json = JSON.parse(await file.text()) as NetworkJSON;
      } catch {
        throw new ArgumentError('model file', `${file.name} is not JSON`);
      }
      const network = NeuralNetwork.load(app.ctx, json);
      if (network.features !== 400 || network.layers![0] !== 400 || network.outputs !== 10) {
        network.destroy();
        throw new ArgumentError('model file', `${file.name} is a ${json.layers.join('-')} network; the digits need 400 inputs and 10 outputs`);
      }
      (this.form.elements.namedItem('hidden') as HTMLInputElement).value = network.hidden.join(', ');
      (this.form.elements.namedItem('output') as HTMLSelectElement).value = network.head === 'softmax' ? 'softmax' : 'sigmoid';
      showActivation(this.form, network);
      this.adopt(network, true);
      await this.finish();
      this.setStatus(`Loaded ${file.name}: ${network.layers!.join('-')}, test accuracy ${byId('test-accuracy').textContent}.`);
      document.body.dataset.state = 'trained';
    } catch (e) {
      this.setStatus('', e);
    }
  }

  /** The button's listeners. */
  listen(): void {
    this.trainButton.addEventListener('click', () => this.train());
    this.pauseButton.addEventListener('click', () => this.pause());
    byId('reset').addEventListener('click', () => void this.reset());
    byId('save').addEventListener('click', () => this.download());
    byId<HTMLInputElement>('load').addEventListener('change', (event) => {
      const input = event.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (file) void this.load(file);
    });
    byId('gradient-check').addEventListener('click', () => void gradientCheck(this.app));
  }

  /** The first frame: empty axes. */
  draw(): void {
    this.curves.redraw();
  }
}

/** The activation menu set to `network`'s hidden units' (the first layer's, where they differ). */
export function showActivation(form: HTMLFormElement, network: NeuralNetwork): void {
  const g = network.activations[0];
  if (g) (form.elements.namedItem('activation') as HTMLSelectElement).value = g;
}

/** The gradient check: backpropagation against central differences on a small network, its relative difference shown. */
async function gradientCheck(app: App): Promise<void> {
  const out = byId('gradient-result');
  out.classList.remove('error');
  out.textContent = 'Checking backpropagation against central differences on a 3-5-3 network…';
  const net = new NeuralNetwork(app.ctx, { layers: [3, 5, 3], seed: 7, epsilon: 1 });
  try {
    const rng = new Random(11);
    const x = Array.from({ length: 5 }, () => Array.from(rng.floats(3, -1, 1)));
    const y = [0, 1, 2, 1, 0];
    const report = await net.gradientCheck(x, y, { lambda: 1 });
    const ok = report.relativeDifference < 1e-4;
    out.textContent =
      `Gradient check (3-5-3 network, 5 examples, λ = 1, ε = ${report.epsilon}): relative difference ` +
      `‖D − D_num‖ / ‖D + D_num‖ = ${report.relativeDifference.toExponential(2)} over ${report.analytic.length} parameters — ` +
      (ok ? 'backpropagation agrees with the numerical gradient.' : 'too large: backpropagation disagrees!');
    out.dataset.value = String(report.relativeDifference);
  } catch (e) {
    showError(out, e);
  } finally {
    net.destroy();
  }
}

export function setupTrainTab(app: App, save: Save): { adopt(network: NeuralNetwork, trained?: boolean): void } {
  const tab = new TrainTab(app, save);
  tab.listen();
  tab.draw();
  return { adopt: (network, trained) => tab.adopt(network, trained) };
}
