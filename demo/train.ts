// The Train tab: the settings, Train / Pause / Reset / Save / Load, the live cost and accuracy
// curves and the hidden units — all drawn from GPU buffers while the network trains (the
// trainer copies each epoch's history into a buffer the curves read; the hidden-unit tiles
// read Θ⁽¹⁾ where it lives) — and the gradient check.

import type { DigitSettings } from '../cli/options.js';
import { ArgumentError, BufferUsage, DivergenceError, type EpochReport, NeuralNetwork, type NetworkJSON, type OptimizerName, Random, type TrainingRun } from '../src/index.js';
import type { PlotLayer } from '../src/plot/index.js';
import { type App, byId, modelChanged, showError } from './app.js';
import { Chart } from './chart.js';
import { saveLastModel } from './storage.js';
import { pageBuffer } from './buffers.js';

const COLORS = { train: [0.082, 0.396, 0.753], test: [0.902, 0.318, 0] } as const;

/** The form's settings: the same as the command line's (npm run train). */
type Settings = DigitSettings;

/** One fit's history on the GPU: 4 floats per epoch, from epoch `base` of the network. */
interface Segment {
  buffer: GPUBuffer;
  base: number;
  /** Epochs drawn: those asked for while it trains (NaN until run), those run afterwards. */
  epochs: number;
  /** Epochs run. */
  done: number;
}

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
  return {
    hidden,
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

export function setupTrainTab(app: App, save: (json: NetworkJSON, testAccuracy: number | null) => Promise<void>): { adopt(network: NeuralNetwork, trained?: boolean): void } {
  const form = byId<HTMLFormElement>('settings');
  const status = byId('status');
  const trainButton = byId<HTMLButtonElement>('train');
  const pauseButton = byId<HTMLButtonElement>('pause');
  const costChart = new Chart(byId('cost-chart'), app, 380, 230);
  const accuracyChart = new Chart(byId('accuracy-chart'), app, 380, 230);
  const unitsChart = new Chart(byId('hidden-units'), app, 230, 230, { left: 0, right: 0, top: 0, bottom: 0 });

  let segments: Segment[] = [];
  let reports: EpochReport[] = [];
  let planned = 0;
  let run: TrainingRun | undefined;
  let costLayer: ReturnType<typeof app.plotter.lines> | undefined;
  let accuracyLayer: ReturnType<typeof app.plotter.lines> | undefined;
  let unitsLayer: PlotLayer | undefined;
  let frame = 0;

  const setStatus = (text: string, error?: unknown) => {
    status.classList.remove('error');
    if (error) showError(status, error);
    else status.textContent = text;
  };
  const epochsTrained = () => segments.reduce((s, g) => s + g.done, 0);

  /**
   * Line series for every fit so far: one per fit and quantity (history column), as far as the
   * epochs reported — the GPU may have written later ones already; the curves show what the
   * status line says, not more.
   */
  const series = (column: number, color: readonly number[]) =>
    segments.map((g) => ({ buffer: g.buffer, offset: column, stride: 4, count: Math.max(1, g.done), x0: g.base + 1, dx: 1, color: color as [number, number, number], width: 2 * costChart.ratio }));

  function redraw(): void {
    frame = 0;
    const xMax = Math.max(planned, 1);
    const costs = reports.flatMap((r) => [r.cost, r.validation?.cost ?? NaN]).filter(Number.isFinite);
    const yCost: [number, number] = [0, costs.length ? costs.reduce((a, b) => Math.max(a, b)) * 1.08 : 1];
    const accs = reports.flatMap((r) => [r.accuracy ?? NaN, r.validation?.accuracy ?? NaN]).filter(Number.isFinite);
    const yAcc: [number, number] = [accs.length ? Math.max(0, Math.floor(accs.reduce((a, b) => Math.min(a, b)) * 10) / 10 - 0.05) : 0, 1];
    costChart.drawAxes({ x: [0, xMax], y: yCost, xLabel: 'epoch', yLabel: 'J/m' });
    accuracyChart.drawAxes({ x: [0, xMax], y: yAcc, xLabel: 'epoch', yLabel: 'accuracy' });
    const costSeries = [...series(0, COLORS.train), ...series(2, COLORS.test)];
    const accSeries = [...series(1, COLORS.train), ...series(3, COLORS.test)];
    costLayer?.destroy();
    accuracyLayer?.destroy();
    costLayer = costSeries.length ? app.plotter.lines({ rect: costChart.rect, x: [0, xMax], y: yCost, series: costSeries }) : undefined;
    accuracyLayer = accSeries.length ? app.plotter.lines({ rect: accuracyChart.rect, x: [0, xMax], y: yAcc, series: accSeries }) : undefined;
    costChart.draw(costLayer ? [costLayer] : []);
    accuracyChart.draw(accuracyLayer ? [accuracyLayer] : []);
    unitsChart.draw(unitsLayer ? [unitsLayer] : []);
    // The numbers change when the curves do: on the copy path a frame lands a little later.
    const show = shown;
    shown = undefined;
    if (show) void Promise.all([costChart.gpu.idle, accuracyChart.gpu.idle]).then(show);
  }
  /** The epoch's numbers for the page, put up with the frame that draws the epoch. */
  let shown: (() => void) | undefined;
  /** Draws what is pending now and waits until its numbers are up (a run's end reads them). */
  async function numbersShown(): Promise<void> {
    if (frame) {
      cancelAnimationFrame(frame);
      redraw();
    }
    await Promise.all([costChart.gpu.idle, accuracyChart.gpu.idle]);
  }
  const schedule = () => {
    frame ||= requestAnimationFrame(redraw);
  };

  /** Points the hidden-unit grid at the network's Θ⁽¹⁾ (its rows, less the bias column). */
  function bindUnits(): void {
    unitsLayer?.destroy();
    unitsLayer = undefined;
    const network = app.network;
    if (!network?.layers || network.layers.length < 3 || network.features !== 400 || network.layers[0] !== 400) return;
    const view = network.weightsView(1);
    unitsLayer = app.plotter.imageGrid({
      rect: unitsChart.full, buffer: view.buffer, offset: (view.offset ?? 0) + 1, stride: view.cols,
      tiles: view.rows, side: 20, columns: Math.ceil(Math.sqrt(view.rows)), range: 'per-tile', gap: 2 * unitsChart.ratio,
    });
  }

  function clearHistory(): void {
    for (const g of segments) g.buffer.destroy();
    segments = [];
    reports = [];
    planned = 0;
    byId('epochs-trained').textContent = '0';
    for (const id of ['test-accuracy', 'train-accuracy', 'speed']) {
      byId(id).textContent = '—';
      delete byId(id).dataset.value;
    }
  }

  /** Makes `network` the current one (a new random one, or a loaded one) and forgets the curves. */
  function adopt(network: NeuralNetwork, trained = false): void {
    app.network?.destroy();
    app.network = network;
    app.trained = trained;
    clearHistory();
    bindUnits();
    schedule();
    modelChanged(app);
  }

  function freshNetwork(s: Settings): NeuralNetwork {
    return new NeuralNetwork(app.ctx, { layers: [400, ...s.hidden, 10], output: s.output, seed: s.seed });
  }

  function sameShape(s: Settings): boolean {
    const layers = app.network?.layers;
    const output = app.network?.head === 'softmax' ? 'softmax' : 'sigmoid';
    return !!layers && layers.join('-') === [400, ...s.hidden, 10].join('-') && output === s.output;
  }

  async function finish(): Promise<void> {
    const network = app.network!;
    const [test, train] = [await network.cost(app.digits.test.x, app.digits.test.y), await network.cost(app.digits.train.x, app.digits.train.y)];
    byId('test-accuracy').textContent = percent(test.accuracy);
    byId('test-accuracy').dataset.value = String(test.accuracy);
    byId('train-accuracy').textContent = percent(train.accuracy);
    await save(await network.toJSON(), test.accuracy);
    app.trained = true;
    modelChanged(app);
  }

  /** Settles when the Train button's whole run (training, then evaluation and saving) is over. */
  let trainingDone: Promise<void> = Promise.resolve();
  /** Set by Reset: the run it cancels ends without evaluating or saving the old network. */
  let resetting = false;

  trainButton.addEventListener('click', () => {
    trainingDone = train();
  });

  async function train(): Promise<void> {
    let s: Settings;
    try {
      s = readSettings(form);
    } catch (e) {
      setStatus('', e);
      return;
    }
    if (!sameShape(s)) adopt(freshNetwork(s));
    const network = app.network!;
    const buffer = pageBuffer(app.ctx, `demo history ${segments.length}`, 16 * s.epochs, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    // NaN until an epoch lands: the curves are drawn before the fit's first write, and a zeroed
    // buffer showed a flat line at J = 0 and 0 % accuracy during the first epoch.
    app.ctx.device.queue.writeBuffer(buffer, 0, new Float32Array(4 * s.epochs).fill(NaN));
    const segment: Segment = { buffer, base: epochsTrained(), epochs: s.epochs, done: 0 };
    segments.push(segment);
    planned = segment.base + s.epochs;
    const started = performance.now();
    const m = app.digits.train.x.rows;
    try {
      run = network.fit(app.digits.train.x, app.digits.train.y, {
        epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: s.alpha, lambda: s.lambda, seed: s.seed + segment.base,
        validation: app.digits.test, historyBuffer: buffer,
        // Θ comes to the CPU every 2 epochs (never waited on) and is kept in the browser: a lost
        // GPU device then costs at most 2 epochs — Continue restores it.
        checkpointEvery: 2,
        onCheckpoint: ({ epoch, theta }) => {
          const json: NetworkJSON = {
            format: 'wgsl-learn/network', version: 1, layers: network.layers!, head: network.head,
            theta: Array.from(theta), normalization: null, epochs: segment.base + epoch,
          };
          void save(json, null);
        },
        onEpoch: (r) => {
          segment.done = r.epoch + 1;
          reports.push(r);
          const seconds = (performance.now() - started) / 1000;
          const [speed, epochs] = [`${Math.round((segment.done * m) / seconds).toLocaleString('en')}`, String(epochsTrained())];
          shown = () => {
            byId('speed').textContent = speed;
            byId('epochs-trained').textContent = epochs;
            byId('train-accuracy').textContent = percent(r.accuracy);
            byId('test-accuracy').textContent = percent(r.validation?.accuracy);
            byId('test-accuracy').dataset.value = String(r.validation?.accuracy);
            if (run?.state === 'running') setStatus(`Epoch ${epochs} of ${planned}: J/m ${r.cost.toFixed(4)}, test accuracy ${percent(r.validation?.accuracy)}`);
          };
          schedule();
        },
      });
    } catch (e) {
      segments.pop();
      buffer.destroy();
      setStatus('', e);
      return;
    }
    app.training = true;
    document.body.dataset.state = 'training';
    trainButton.disabled = true;
    pauseButton.disabled = false;
    setStatus(`Training ${network.layers!.join('-')} for ${s.epochs} epochs…`);
    schedule();
    try {
      const result = await run;
      await numbersShown();
      segment.epochs = segment.done = result.epochs;
      app.training = false;
      if (resetting) return;
      const seconds = (performance.now() - started) / 1000;
      await finish();
      setStatus(`${result.status === 'completed' ? 'Trained' : 'Stopped after'} ${result.epochs} epochs in ${seconds.toFixed(1)} s. Test accuracy ${byId('test-accuracy').textContent}.`);
    } catch (e) {
      await numbersShown();
      app.training = false;
      segment.epochs = segment.done;
      setStatus('', e);
      if (e instanceof DivergenceError && !resetting) await finish().catch((err: unknown) => showError(status, err));
    } finally {
      app.training = false;
      run = undefined;
      planned = epochsTrained();
      trainButton.disabled = false;
      pauseButton.disabled = true;
      pauseButton.textContent = 'Pause';
      document.body.dataset.state = 'trained';
      schedule();
    }
  }

  pauseButton.addEventListener('click', () => {
    if (!run) return;
    if (run.state === 'paused') {
      run.resume();
      pauseButton.textContent = 'Pause';
      setStatus('Resumed.');
    } else {
      run.pause();
      pauseButton.textContent = 'Resume';
      setStatus(`Paused after epoch ${epochsTrained()}.`);
    }
  });

  byId('reset').addEventListener('click', async () => {
    try {
      const s = readSettings(form);
      if (run) {
        resetting = true;
        run.cancel();
        await trainingDone;
        resetting = false;
      }
      adopt(freshNetwork(s));
      document.body.dataset.state = 'ready';
      setStatus(`A new ${[400, ...s.hidden, 10].join('-')} network, randomly initialised (seed ${s.seed}). Press Train.`);
    } catch (e) {
      setStatus('', e);
    }
  });

  byId('save').addEventListener('click', async () => {
    try {
      if (!app.network || app.training) throw new Error(app.training ? 'Training is running: pause does not free the weights; wait for it to end or press Reset.' : 'There is no model to save yet.');
      const json = await app.network.toJSON();
      const url = URL.createObjectURL(new Blob([JSON.stringify(json)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `wgsl-learn-${json.layers.join('-')}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus(`Saved ${a.download}.`);
    } catch (e) {
      setStatus('', e);
    }
  });

  byId<HTMLInputElement>('load').addEventListener('change', async (event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
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
      (form.elements.namedItem('hidden') as HTMLInputElement).value = network.hidden.join(', ');
      (form.elements.namedItem('output') as HTMLSelectElement).value = network.head === 'softmax' ? 'softmax' : 'sigmoid';
      adopt(network, true);
      await finish();
      setStatus(`Loaded ${file.name}: ${network.layers!.join('-')}, test accuracy ${byId('test-accuracy').textContent}.`);
      document.body.dataset.state = 'trained';
    } catch (e) {
      setStatus('', e);
    }
  });

  byId('gradient-check').addEventListener('click', async () => {
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
  });

  redraw();
  return { adopt };
}
