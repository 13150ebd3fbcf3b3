// The Draw a digit tab: a pad for mouse, touch and pen (Pointer Events), turned into the
// classifier's 20×20 input by the same resampling that prepared the training data
// (src/data/downsample.mjs), with the network's 10 class probabilities updated as you draw.

import { quantize, toDigit } from '../src/index.js';
import { type App, byId, showError } from './app.js';

/** Stroke width on the 280-pixel pad: about what a pen stroke is on a 28×28 MNIST digit. */
const STROKE = 22;

/** The pad's canvases and the state of the stroke being drawn. */
interface Pad {
  pad: HTMLCanvasElement;
  g: CanvasRenderingContext2D;
  /** The 20×20 preview of the network's input. */
  pg: CanvasRenderingContext2D;
  drawing: boolean;
  last: [number, number] | undefined;
  inked: boolean;
}

/** The ten rows of the probability list: digit, bar, percentage. */
function probabilityRows(list: HTMLOListElement): HTMLLIElement[] {
  return Array.from({ length: 10 }, (_, k) => {
    const li = document.createElement('li');
    li.innerHTML = `<span>${k}</span><span><b style="width:0%"></b></span><span class="p">—</span>`;
    list.append(li);
    return li;
  });
}

/** Shows each class's share p (or — for none) on its row, the best one marked. */
function showProbabilities(rows: HTMLLIElement[], p: number[] | undefined, best = -1): void {
  rows.forEach((li, k) => {
    li.className = k === best ? 'best' : '';
    li.querySelector('b')!.style.width = p ? `${(100 * p[k]!).toFixed(1)}%` : '0%';
    li.querySelector('.p')!.textContent = p ? `${(100 * p[k]!).toFixed(1)} %` : '—';
    if (p) li.dataset.p = String(p[k]);
    else delete li.dataset.p;
  });
}

/** The pad as the network's input: intensity = the red channel, resampled to 20×20, stored as the data file stores pixels (and shown in the preview). */
function padInput(d: Pad): Float32Array {
  const { pad, g, pg } = d;
  const { data } = g.getImageData(0, 0, pad.width, pad.height);
  const gray = new Float64Array(pad.width * pad.height);
  for (let i = 0; i < gray.length; i++) gray[i] = data[4 * i]! / 255;
  const bytes = quantize(toDigit(gray, pad.width, pad.height, 20));
  const image = pg.createImageData(20, 20);
  bytes.forEach((v, i) => image.data.set([v, v, v, 255], 4 * i));
  pg.putImageData(image, 0, 0);
  return Float32Array.from(bytes, (v) => v / 255);
}

/** A stroke segment from the last point to `to`, in pad pixels. */
function stroke(d: Pad, to: [number, number]): void {
  const { g } = d;
  g.strokeStyle = '#fff';
  g.lineWidth = STROKE;
  g.lineCap = 'round';
  g.lineJoin = 'round';
  g.beginPath();
  g.moveTo(...(d.last ?? to));
  g.lineTo(...to);
  g.stroke();
  d.last = to;
  d.inked = true;
}

/** Mouse, touch and pen on the pad (Pointer Events): strokes drawn, `changed` called after each. */
function listenToStrokes(d: Pad, changed: () => void): void {
  const { pad } = d;
  const point = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * pad.width, ((e.clientY - r.top) / r.height) * pad.height];
  };
  pad.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    d.drawing = true;
    d.last = undefined;
    stroke(d, point(e));
    changed();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!d.drawing) return;
    for (const c of e.getCoalescedEvents?.() ?? [e]) stroke(d, point(c));
    changed();
  });
  const end = () => {
    d.drawing = false;
    d.last = undefined;
    changed();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
}

export function setupPad(app: App): void {
  const pad = byId<HTMLCanvasElement>('pad');
  const note = byId('pad-note');
  const d: Pad = { pad, g: pad.getContext('2d', { willReadFrequently: true })!, pg: byId<HTMLCanvasElement>('pad-preview').getContext('2d')!, drawing: false, last: undefined, inked: false };
  const rows = probabilityRows(byId<HTMLOListElement>('pad-probabilities'));
  let busy = false;
  let again = false;

  function clear(): void {
    d.g.fillStyle = '#000';
    d.g.fillRect(0, 0, pad.width, pad.height);
    d.pg.clearRect(0, 0, 20, 20);
    d.inked = false;
    showProbabilities(rows, undefined);
    byId('pad-best').textContent = '';
    note.textContent = 'Draw a digit in the black square, large and centred.';
  }

  /** The network's guess at the pad's digit; a call while one runs asks for one more after it. */
  async function predict(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const x = padInput(d);
        app.drawn = d.inked ? x : undefined;
        const network = app.network;
        if (!d.inked) return;
        if (!network) {
          note.textContent = 'There is no network yet: train one (or load one) on the Train tab.';
          return;
        }
        if (app.training) {
          note.textContent = 'The network is training; it will predict when training ends.';
          return;
        }
        const h = await network.predictProbabilities({ rows: 1, cols: 400, data: x });
        // A softmax output's φ sum to 1; 10 sigmoid units (one-vs-all) are shown as shares of their sum.
        const sum = network.head === 'softmax' ? 1 : h.reduce((s, v) => s + v, 0) || 1;
        const p = Array.from(h, (v) => v / sum);
        const best = p.reduce((top, v, k) => (v > p[top]! ? k : top), 0);
        showProbabilities(rows, p, best);
        byId('pad-best').textContent = `— it looks like a ${best}`;
        byId('pad-best').dataset.best = String(best);
        note.textContent = network.head === 'softmax' ? 'Softmax probabilities φₖ (they sum to 1).' : 'Each sigmoid unit’s output, as a share of their sum (one-vs-all units do not sum to 1).';
      } while (again);
    } catch (e) {
      showError(note, e);
    } finally {
      busy = false;
    }
  }

  listenToStrokes(d, () => void predict());
  byId('pad-clear').addEventListener('click', clear);
  app.onModelChange.push(() => void predict());
  clear();
}
