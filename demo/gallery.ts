// The Test digits tab: a page of test digits drawn by the image-grid shader from a GPU buffer,
// each with its predicted label and confidence in a strip below it (never over the digit;
// mistakes in red, with the true digit), and the 10×10 confusion matrix over all 2,000 test
// digits. Before the network has learned anything, a note says the guesses are a random one's.

import { BufferUsage } from '../src/index.js';
import { type App, byId, latestOnly, setChildren } from './app.js';
import { Chart } from './chart.js';

const COLUMNS = 10;
const ROWS = 5;
const PER_PAGE = COLUMNS * ROWS;
const TILE = 44; // CSS pixels
const LABEL = 24; // the two lines of text under each tile
const GAP = 4;
const PITCH = TILE + LABEL + GAP; // from one row of tiles to the next

type Digits = App['digits']['test'];

/** Each digit's guess (the most probable class) and its confidence, from h (rows × 10). */
function guesses(h: ArrayLike<number>, rows: number): { predicted: Uint8Array; confidence: Float32Array } {
  const predicted = new Uint8Array(rows);
  const confidence = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let sum = 0;
    for (let k = 0; k < 10; k++) {
      sum += h[i * 10 + k]!;
      if (h[i * 10 + k]! > h[i * 10 + best]!) best = k;
    }
    predicted[i] = best;
    // K sigmoid units (one-vs-all) do not sum to 1: the confidence shown is the winner's share.
    confidence[i] = h[i * 10 + best]! / (sum || 1);
  }
  return { predicted, confidence };
}

/** The strip under test digit i: the guess and its confidence; the true digit under a mistake. */
function label(test: Digits, i: number, predicted: Uint8Array | undefined, confidence: Float32Array | undefined): HTMLElement {
  const span = document.createElement('span');
  const truth = test.y[i]!;
  if (predicted && confidence) {
    const p = predicted[i]!;
    span.textContent = `${p} · ${Math.round(100 * confidence[i]!)}%`;
    if (p !== truth) {
      span.className = 'wrong';
      span.append(document.createElement('br'), `is ${truth}`);
    }
    span.dataset.predicted = String(p);
  } else span.textContent = `label ${truth}`;
  span.dataset.index = String(i);
  return span;
}

/** The 10×10 confusion matrix of the guesses over every test digit (empty without guesses). */
function confusionTable(test: Digits, predicted: Uint8Array | undefined): void {
  const table = byId<HTMLTableElement>('confusion');
  table.replaceChildren();
  if (!predicted) return;
  const counts = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < test.x.rows; i++) counts[test.y[i]!]![predicted[i]!]!++;
  const head = table.insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: '' }));
  for (let c = 0; c < 10; c++) head.append(Object.assign(document.createElement('th'), { textContent: String(c) }));
  counts.forEach((row, r) => {
    const tr = table.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: String(r) }));
    const total = row.reduce((s, v) => s + v, 0) || 1;
    row.forEach((v, c) => {
      const td = tr.insertCell();
      td.textContent = String(v);
      const share = v / total;
      td.style.background = r === c ? `rgba(46, 125, 50, ${0.15 + 0.6 * share})` : v ? `rgba(198, 40, 40, ${0.15 + 2 * share})` : '';
    });
  });
  table.dataset.total = String(counts.flat().reduce((s, v) => s + v, 0));
}

export function setupGallery(app: App): void {
  const container = byId('gallery');
  const width = COLUMNS * (TILE + GAP) - GAP;
  const height = ROWS * PITCH - GAP;
  const chart = new Chart(container, app, width, height, { left: 0, right: 0, top: 0, bottom: 0 });
  const labels = document.createElement('div');
  labels.className = 'labels';
  labels.style.cssText = `grid-template-columns: repeat(${COLUMNS}, ${TILE}px); grid-auto-rows: ${TILE + LABEL}px; gap: ${GAP}px`;
  container.append(labels);
  const pixels = app.ctx.createBuffer('demo gallery digits', PER_PAGE * 400 * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST);
  // One image grid per row of tiles, each leaving the strip under it to its labels.
  const rows = Array.from({ length: ROWS }, (_, r) => app.plotter.imageGrid({
    rect: { x: 0, y: r * PITCH * chart.ratio, width: width * chart.ratio, height: TILE * chart.ratio },
    buffer: pixels, offset: r * COLUMNS * 400, tiles: COLUMNS, side: 20, columns: COLUMNS, range: [0, 1], gap: GAP * chart.ratio,
  }));
  const note = byId('gallery-note');
  const test = app.digits.test;
  let predicted: Uint8Array | undefined;
  let confidence: Float32Array | undefined;
  let page = 0;
  const mistakesOnly = byId<HTMLInputElement>('gallery-mistakes');

  const shown = (): number[] => {
    const all = Array.from({ length: test.x.rows }, (_, i) => i);
    return mistakesOnly.checked && predicted ? all.filter((i) => predicted![i] !== test.y[i]) : all;
  };

  function render(): void {
    const list = shown();
    const pages = Math.max(1, Math.ceil(list.length / PER_PAGE));
    page = Math.min(page, pages - 1);
    const items = list.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
    const data = new Float32Array(PER_PAGE * 400);
    items.forEach((i, k) => data.set(test.x.data.subarray(i * 400, (i + 1) * 400), k * 400));
    app.ctx.device.queue.writeBuffer(pixels, 0, data);
    const filled = rows.filter((row, r) => {
      row.update({ tiles: Math.max(1, Math.min(COLUMNS, items.length - r * COLUMNS)) });
      return r * COLUMNS < items.length;
    });
    chart.draw(filled);
    setChildren(labels, items.map((i) => label(test, i, predicted, confidence)));
    note.hidden = !predicted || app.trained;
    byId('gallery-page').textContent = `page ${page + 1} of ${pages} (${list.length} digits)`;
  }

  // Predictions of a model replaced while they were computed are dropped: the newest model's show.
  const refresh = latestOnly(byId('gallery-page'), async (stale) => {
    const network = app.network;
    predicted = confidence = undefined;
    if (network && !app.training) {
      const h = await network.predictProbabilities(test.x);
      if (stale()) return;
      ({ predicted, confidence } = guesses(h, test.x.rows));
    }
    confusionTable(test, predicted);
    render();
  });

  byId('gallery-prev').addEventListener('click', () => {
    page = Math.max(0, page - 1);
    render();
  });
  byId('gallery-next').addEventListener('click', () => {
    page += 1;
    render();
  });
  mistakesOnly.addEventListener('change', () => {
    page = 0;
    render();
  });
  app.onModelChange.push(() => void refresh());
  render();
}
