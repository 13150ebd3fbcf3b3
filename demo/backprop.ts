// The Backpropagation tab: one example — a test digit or the digit drawn on the pad through the
// digit classifier, or a playground point through the playground's network — every quantity of the
// lecture beside its formula — a⁽¹⁾, z⁽ˡ⁾ and a⁽ˡ⁾ forward; δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, each δ⁽ˡ⁾ =
// (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ g′(z⁽ˡ⁾) and Δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ backward — as coloured strips and maps with the
// numbers on hover, computed by the float64 reference (the lecture's loops) from the network's
// Θ, and checked against gradients() on the GPU for the same example. Below, the gradient check:
// the largest entries of D against central differences of J. Indices are the lecture's: units from
// 1, the bias unit 0; Θ⁽ˡ⁾ᵢⱼ and Δ⁽ˡ⁾ᵢⱼ join unit j of layer l (0: the bias) to unit i of layer
// l + 1. The output and y are labelled with their classes; Δ⁽¹⁾ of a digit is drawn as one 20 × 20
// tile per hidden unit, as the Train tab draws Θ⁽¹⁾.

import { type NeuralNetwork, reference } from '../src/index.js';
import { type App, byId, latestOnly, setChildren } from './app.js';

type Trace = ReturnType<typeof reference.backpropExample>;

/** Blue for negative, white for 0, red for positive, scaled by `scale`. */
function colour(v: number, scale: number): string {
  const t = Math.max(-1, Math.min(1, v / (scale || 1)));
  const [r, g, b] = t >= 0 ? [255, 255 - 200 * t, 255 - 200 * t] : [255 + 200 * t, 255 + 200 * t, 255];
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}

/** n in superscript digits (⁽ˡ⁾ as the lecture writes it). */
const sup = (n: number) => String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]!);

const largest = (v: ArrayLike<number>) => Array.from(v).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * One vector as a strip of cells, each titled with its index and value (the numbers on hover;
 * written in the cells of a short one); `classes` labels the cells of an output or of y.
 */
function strip(name: string, formula: string, values: readonly number[], id: string, classes?: readonly string[]): HTMLElement {
  const row = document.createElement('div');
  row.className = 'bp-row';
  row.innerHTML = `<div class="bp-name"><b>${name}</b> <span>${formula}</span></div>`;
  const cells = document.createElement('div');
  cells.className = 'bp-strip';
  cells.id = id;
  const scale = largest(values);
  if (values.length <= 8) cells.classList.add('bp-numbers');
  values.forEach((v, i) => {
    const c = document.createElement('span');
    c.style.background = colour(v, scale);
    c.title = classes ? `${name} for class ${classes[i]} = ${v.toPrecision(6)}` : `${name}[${i + 1}] = ${v.toPrecision(6)}`;
    if (values.length <= 8) c.textContent = v.toFixed(3);
    cells.append(c);
  });
  row.append(cells);
  if (classes) {
    const under = document.createElement('div');
    under.className = `bp-strip bp-classes${values.length <= 8 ? ' bp-numbers' : ''}`;
    under.id = `${id}-classes`;
    setChildren(under, classes.map((k) => Object.assign(document.createElement('span'), { textContent: k })));
    row.append(under);
  }
  return row;
}

/** The entries of a matrix view, for the page's readers and its tests (data-rows, data-cols, data-values). */
function holdValues(el: HTMLElement, m: { rows: number; cols: number; data: ArrayLike<number> }): void {
  el.dataset.rows = String(m.rows);
  el.dataset.cols = String(m.cols);
  el.dataset.values = JSON.stringify(Array.from(m.data));
}

/** A matrix as a canvas heat map (rows × cols, one pixel block per entry), its entry shown on hover. */
function map(name: string, formula: string, m: { rows: number; cols: number; data: ArrayLike<number> }, id: string, cell: number): HTMLElement {
  const row = document.createElement('div');
  row.className = 'bp-row';
  row.innerHTML = `<div class="bp-name"><b>${name}</b> <span>${formula}</span> <span class="bp-hover"></span></div>`;
  const canvas = document.createElement('canvas');
  canvas.id = id;
  canvas.width = m.cols * cell;
  canvas.height = m.rows * cell;
  const g = canvas.getContext('2d')!;
  const scale = largest(m.data);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      g.fillStyle = colour(m.data[r * m.cols + c]!, scale);
      g.fillRect(c * cell, r * cell, cell, cell);
    }
  }
  const hover = row.querySelector<HTMLElement>('.bp-hover')!;
  canvas.addEventListener('mousemove', (e) => {
    const [r, c] = [Math.floor(e.offsetY / cell), Math.floor(e.offsetX / cell)];
    if (r < m.rows && c < m.cols) hover.textContent = `${name}[${r + 1}][${c}] = ${m.data[r * m.cols + c]!.toPrecision(6)}`;
  });
  holdValues(canvas, m);
  row.append(canvas);
  return row;
}

const TILE_PIXEL = 3; // CSS pixels per image pixel in a tile
const TILE_GAP = 6;

/**
 * Δ⁽¹⁾ of a 20 × 20 image: row i (hidden unit i) without its bias column as a 20 × 20 tile, the
 * tiles in a square grid (the lecture's picture of what each hidden unit looks at); the bias
 * column Δ⁽¹⁾ᵢ₀ as a strip below. Hover names the entry.
 */
function tiles(name: string, formula: string, m: { rows: number; cols: number; data: ArrayLike<number> }, id: string): HTMLElement {
  const row = document.createElement('div');
  row.className = 'bp-row';
  row.innerHTML = `<div class="bp-name"><b>${name}</b> <span>${formula}</span> <span class="bp-hover"></span></div>`;
  const [columns, side, tile] = [Math.ceil(Math.sqrt(m.rows)), 20, 20 * TILE_PIXEL];
  const canvas = document.createElement('canvas');
  canvas.id = id;
  canvas.width = columns * (tile + TILE_GAP) - TILE_GAP;
  canvas.height = Math.ceil(m.rows / columns) * (tile + TILE_GAP) - TILE_GAP;
  const g = canvas.getContext('2d')!;
  const scale = largest(m.data);
  for (let i = 0; i < m.rows; i++) {
    const [x0, y0] = [(i % columns) * (tile + TILE_GAP), Math.floor(i / columns) * (tile + TILE_GAP)];
    for (let p = 0; p < side * side; p++) {
      g.fillStyle = colour(m.data[i * m.cols + 1 + p]!, scale);
      g.fillRect(x0 + (p % side) * TILE_PIXEL, y0 + Math.floor(p / side) * TILE_PIXEL, TILE_PIXEL, TILE_PIXEL);
    }
  }
  const hover = row.querySelector<HTMLElement>('.bp-hover')!;
  canvas.addEventListener('mousemove', (e) => {
    const [tx, ty] = [Math.floor(e.offsetX / (tile + TILE_GAP)), Math.floor(e.offsetY / (tile + TILE_GAP))];
    const [px, py] = [Math.floor((e.offsetX - tx * (tile + TILE_GAP)) / TILE_PIXEL), Math.floor((e.offsetY - ty * (tile + TILE_GAP)) / TILE_PIXEL)];
    const i = ty * columns + tx;
    if (i < m.rows && px < side && py < side) hover.textContent = `${name}[${i + 1}][${1 + py * side + px}] = ${m.data[i * m.cols + 1 + py * side + px]!.toPrecision(6)} (unit ${i + 1}, pixel row ${py + 1}, column ${px + 1})`;
  });
  canvas.dataset.tiles = String(m.rows);
  holdValues(canvas, m);
  const bias = Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols]!);
  row.append(canvas, strip(`${name}ᵢ₀`, 'the bias column, unit i = 1 … ' + m.rows, bias, `${id}-bias`));
  return row;
}

/** The gradient check of the parameters with the largest |D|: backpropagation against (J(Θ + ε) − J(Θ − ε)) / 2ε. */
function gradientCheck(net: reference.NetworkReference, x: number[], y: number, trace: Trace): HTMLTableElement {
  const flat = reference.flatten(net.theta);
  const D = reference.flatten(trace.Delta);
  const picked = Array.from(D.keys()).sort((p, q) => Math.abs(D[q]!) - Math.abs(D[p]!)).slice(0, 8);
  const one = reference.hostMatrix(1, x.length, x);
  const J = (values: Float64Array) => reference.networkCost({ ...net, theta: reference.unflatten(net.layers, values) }, one, [y]).mean;
  const table = document.createElement('table');
  table.id = 'bp-check';
  table.className = 'confusion bp-check';
  table.innerHTML = '<caption>Θ⁽ˡ⁾[i][j]: i the unit of layer l + 1 (from 1), j the unit of layer l (0: the bias unit)</caption>' +
    '<tr><th>parameter</th><th>backpropagation</th><th>numerical</th><th>relative difference</th></tr>';
  for (const p of picked) {
    const eps = 1e-5;
    const up = Float64Array.from(flat);
    up[p] = up[p]! + eps;
    const down = Float64Array.from(flat);
    down[p] = down[p]! - eps;
    const numeric = (J(up) - J(down)) / (2 * eps);
    let at = p;
    const l = net.theta.findIndex((t) => (at < t.data.length ? true : ((at -= t.data.length), false)));
    const t = net.theta[l]!;
    const rel = Math.abs(D[p]! - numeric) / Math.max(1e-12, Math.abs(D[p]!) + Math.abs(numeric));
    const tr = document.createElement('tr');
    tr.innerHTML = `<td>Θ⁽${sup(l + 1)}⁾[${Math.floor(at / t.cols) + 1}][${at % t.cols}]</td><td>${D[p]!.toPrecision(6)}</td><td>${numeric.toPrecision(6)}</td><td>${rel.toExponential(1)}</td>`;
    tr.dataset.relative = String(rel);
    tr.dataset.value = String(D[p]);
    table.append(tr);
  }
  return table;
}

/** One example through one network: the digit classifier's test digit or drawn digit, or a playground point. */
interface Example {
  network: NeuralNetwork;
  x: number[];
  y: number;
  /** What the note calls it. */
  what: string;
  /** A 20 × 20 image (a digit) rather than a point of the plane. */
  image: boolean;
}

/** The example the controls pick, or why there is none. */
function pick(app: App, source: string, i: number, label: number): Example | string {
  if (source === 'playground') {
    const network = app.playground?.network();
    if (!network || !app.playground) return 'Open the Playground tab first: its network and points are made there.';
    if (app.playground.training()) return 'The playground is training: pause it, then show the example.';
    const { x, y } = app.playground.points();
    if (!(Number.isInteger(i) && i >= 0 && i < x.length)) return `Pick a playground training point from 0 to ${x.length - 1}.`;
    return { network, x: [...x[i]!], y: y[i]!, what: `Playground point ${i} (class ${y[i]}, at (${x[i]![0]!.toFixed(2)}, ${x[i]![1]!.toFixed(2)}))`, image: false };
  }
  const network = app.network;
  if (!network?.layers || app.training) return app.training ? 'Training is running: show the example when it ends.' : 'Train or load a network first (Train tab).';
  if (source === 'drawn') {
    if (!app.drawn) return 'Draw a digit on the Draw a digit tab first.';
    return { network, x: Array.from(app.drawn), y: label, what: `The drawn digit (labelled ${label})`, image: true };
  }
  if (!(Number.isInteger(i) && i >= 0 && i < app.digits.test.x.rows)) return `Pick a test digit from 0 to ${app.digits.test.x.rows - 1}.`;
  const y = app.digits.test.y[i]!;
  return { network, x: Array.from(app.digits.test.x.data.subarray(i * 400, (i + 1) * 400)), y, what: `Test digit ${i} (a ${y})`, image: true };
}

export function setupBackprop(app: App): { show(): Promise<void> } {
  const out = byId('bp-out');
  const note = byId('bp-note');
  const index = byId<HTMLInputElement>('bp-index');
  const source = byId<HTMLSelectElement>('bp-source');
  const label = byId<HTMLSelectElement>('bp-label');
  // Each source shows the control it reads: a number (test digit, playground point) or the drawn digit's label.
  const controls = () => {
    byId('bp-index').parentElement!.hidden = source.value === 'drawn';
    label.parentElement!.hidden = source.value !== 'drawn';
  };
  source.addEventListener('change', controls);
  controls();

  const show = latestOnly(note, async (stale) => {
    note.classList.remove('error');
    const ex = pick(app, source.value, Number(index.value), Number(label.value));
    if (typeof ex === 'string') {
      note.textContent = ex;
      note.classList.toggle('error', /^Pick/.test(ex));
      return;
    }
    const { network, x, y } = ex;
    const layers = network.layers!;
    const net: reference.NetworkReference = {
      layers, head: network.head, activations: [...network.activations],
      theta: (await network.getWeights()).map((w, l) => reference.hostMatrix(layers[l + 1]!, layers[l]! + 1, w)),
    };
    const trace = reference.backpropExample(net, x, y);
    // The same example through gradients() on the GPU: D = Δ/m with m = 1, λ = 0.
    const gpu = await network.gradients({ rows: 1, cols: x.length, data: Float32Array.from(x) }, [y]);
    const difference = gpu.reduce((most, d, l) => Math.max(most, largest(d.map((v, p) => v - trace.Delta[l]!.data[p]!))), -Infinity);
    if (stale()) return;
    const L = layers.length;
    const K = layers[L - 1]!;
    const h = trace.a[L - 1]!;
    const said = K === 1 ? Number(h[0]! >= 0.5) : h.reduce((top, v, k) => (v > h[top]! ? k : top), 0);
    const classes = K === 1 ? undefined : Array.from({ length: K }, (_, k) => String(k));
    setChildren(out, [
      ex.image ? map('a⁽¹⁾', '= x, the 400 pixels (as 20 × 20)', { rows: 20, cols: 20, data: x }, 'bp-a1', 8) : strip('a⁽¹⁾', x.length === 2 ? '= x = (x₁, x₂)' : `= the point's ${x.length} features (x₁, x₂, …)`, x, 'bp-a1'),
      ...trace.z.flatMap((z, l) => [
        strip(`z⁽${sup(l + 2)}⁾`, `= Θ⁽${sup(l + 1)}⁾a⁽${sup(l + 1)}⁾ (with a₀ = 1)`, z, `bp-z${l + 2}`),
        strip(`a⁽${sup(l + 2)}⁾`, l + 2 === L ? `= h, the ${network.head} output${classes ? ', one unit per class' : ''}` : `= g(z⁽${sup(l + 2)}⁾), g = ${net.activations![l]}`, trace.a[l + 1]!, `bp-a${l + 2}`, l + 2 === L ? classes : undefined),
      ]),
      strip('y', K === 1 ? `= ${y}, the class (one σ unit: P(y = 1))` : `= ${ex.image ? 'the digit' : 'class'} ${y}, one-hot`, K === 1 ? [y] : Array.from({ length: K }, (_, k) => (k === y ? 1 : 0)), 'bp-y', classes),
      ...trace.delta
        .map((d, l) => strip(`δ⁽${sup(l + 2)}⁾`, l + 2 === L ? `= a⁽${sup(L)}⁾ − y` : `= (Θ⁽${sup(l + 2)}⁾)ᵀδ⁽${sup(l + 3)}⁾ ⊙ g′(z⁽${sup(l + 2)}⁾)`, d, `bp-delta${l + 2}`))
        .reverse(),
      ...trace.Delta.map((D, l) => {
        const [name, formula] = [`Δ⁽${sup(l + 1)}⁾`, `= δ⁽${sup(l + 2)}⁾(a⁽${sup(l + 1)}⁾)ᵀ, ${D.rows} × ${D.cols} (column 0: the bias unit)`];
        return l === 0 && ex.image ? tiles(name, `${formula}: row i as a 20 × 20 tile per hidden unit`, D, `bp-Delta${l + 1}`) : map(name, formula, D, `bp-Delta${l + 1}`, D.cols > 10 ? 10 : 18);
      }).reverse(),
      gradientCheck(net, x, y, trace),
    ]);
    note.textContent = `${ex.what}; the network says ${said}. gradients() on the GPU for this example gives the same Δ: largest difference ${difference.toExponential(1)}.`;
    note.dataset.difference = String(difference);
    note.dataset.done = String(Date.now());
  });

  byId('bp-show').addEventListener('click', () => void show());
  return { show };
}
