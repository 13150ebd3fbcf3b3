// The Draw a digit tab: a pad for mouse, touch and pen (Pointer Events), turned into the
// classifier's 20×20 input by the same resampling that prepared the training data
// (src/data/downsample.mjs), with the network's 10 class probabilities updated as you draw.

import { quantize, toDigit } from '../src/index.js';
import { type App, byId, showError } from './app.js';

/** Stroke width on the 280-pixel pad: about what a pen stroke is on a 28×28 MNIST digit. */
const STROKE = 22;

export function setupPad(app: App): void {
  const pad = byId<HTMLCanvasElement>('pad');
  const preview = byId<HTMLCanvasElement>('pad-preview');
  const list = byId<HTMLOListElement>('pad-probabilities');
  const note = byId('pad-note');
  const g = pad.getContext('2d', { willReadFrequently: true })!;
  const pg = preview.getContext('2d')!;
  let drawing = false;
  let last: [number, number] | undefined;
  let busy = false;
  let again = false;
  let inked = false;

  const rows = Array.from({ length: 10 }, (_, k) => {
    const li = document.createElement('li');
    li.innerHTML = `<span>${k}</span><span><b style="width:0%"></b></span><span class="p">—</span>`;
    list.append(li);
    return li;
  });

  function clear(): void {
    g.fillStyle = '#000';
    g.fillRect(0, 0, pad.width, pad.height);
    pg.clearRect(0, 0, 20, 20);
    inked = false;
    for (const li of rows) {
      li.className = '';
      li.querySelector('b')!.style.width = '0%';
      li.querySelector('.p')!.textContent = '—';
      delete li.dataset.p;
    }
    byId('pad-best').textContent = '';
    note.textContent = 'Draw a digit in the black square, large and centred.';
  }

  /** The pad as the network's input: intensity = the red channel, resampled to 20×20, stored as the data file stores pixels. */
  function input(): Float32Array {
    const { data } = g.getImageData(0, 0, pad.width, pad.height);
    const gray = new Float64Array(pad.width * pad.height);
    for (let i = 0; i < gray.length; i++) gray[i] = data[4 * i]! / 255;
    const bytes = quantize(toDigit(gray, pad.width, pad.height, 20));
    const image = pg.createImageData(20, 20);
    bytes.forEach((v, i) => image.data.set([v, v, v, 255], 4 * i));
    pg.putImageData(image, 0, 0);
    return Float32Array.from(bytes, (v) => v / 255);
  }

  async function predict(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const x = input();
        app.drawn = inked ? x : undefined;
        const network = app.network;
        if (!inked) return;
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
        rows.forEach((li, k) => {
          li.className = k === best ? 'best' : '';
          li.dataset.p = String(p[k]);
          li.querySelector('b')!.style.width = `${(100 * p[k]!).toFixed(1)}%`;
          li.querySelector('.p')!.textContent = `${(100 * p[k]!).toFixed(1)} %`;
        });
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

  function point(e: PointerEvent): [number, number] {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * pad.width, ((e.clientY - r.top) / r.height) * pad.height];
  }

  function stroke(to: [number, number]): void {
    g.strokeStyle = '#fff';
    g.lineWidth = STROKE;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(...(last ?? to));
    g.lineTo(...to);
    g.stroke();
    last = to;
    inked = true;
  }

  pad.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    drawing = true;
    last = undefined;
    stroke(point(e));
    void predict();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    for (const c of e.getCoalescedEvents?.() ?? [e]) stroke(point(c));
    void predict();
  });
  const end = () => {
    drawing = false;
    last = undefined;
    void predict();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  byId('pad-clear').addEventListener('click', clear);
  app.onModelChange.push(() => void predict());
  clear();
}
