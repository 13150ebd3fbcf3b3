// What the demo's tabs share: the GPU context, the plotter, the digits, and the current
// network — with a way to tell every tab that the network changed (trained, loaded, reset).

import type { Digits, GpuContext, NeuralNetwork } from '../src/index.js';
import type { Plotter } from '../src/plot/index.js';

export interface App {
  ctx: GpuContext;
  plotter: Plotter;
  /** How plots reach their canvases (src/plot PlotCanvasOptions.present). */
  present: 'webgpu' | 'copy';
  digits: Digits;
  /** The digit classifier, or undefined before the first one exists. */
  network: NeuralNetwork | undefined;
  /** True once the network has learned from the digits (trained here, loaded or restored); false for a fresh random one. */
  trained: boolean;
  /** True while the network is training (it cannot predict then). */
  training: boolean;
  /** Tabs register here; called after the network was trained, loaded or replaced. */
  onModelChange: (() => void)[];
  /** The digit last drawn on the pad, as the network sees it (400 values in [0, 1]), if any. */
  drawn?: Float32Array;
  /** The playground's network and training points, once the tab has made them (for the Backpropagation tab). */
  playground?: { network(): NeuralNetwork | undefined; training(): boolean; points(): { x: number[][]; y: number[] } };
}

export function modelChanged(app: App): void {
  for (const f of app.onModelChange) f();
}

/** Shows `e` as a readable line in `el` (and keeps the class of error visible). */
export function showError(el: HTMLElement, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  el.textContent = `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`;
  el.classList.add('error');
  console.error(err);
}

/**
 * A view's render that only the latest request finishes: one overtaken by a newer request (another
 * click, the tab shown again) stops at its next `stale()` check and writes nothing more, and its
 * errors are dropped. `el.dataset.busy` is set while a request is in flight, and an error of the
 * latest one is shown in `el`.
 */
export function latestOnly(el: HTMLElement, render: (stale: () => boolean) => Promise<void>): () => Promise<void> {
  let last = 0;
  return async () => {
    const me = ++last;
    el.dataset.busy = 'true';
    try {
      await render(() => me !== last);
    } catch (e) {
      if (me === last) showError(el, e);
    } finally {
      if (me === last) delete el.dataset.busy;
    }
  };
}

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Makes `nodes` the children of `el` (a list of any length: never spread into an argument list). */
export function setChildren(el: Element, nodes: Iterable<Node | string>): void {
  const fragment = document.createDocumentFragment();
  for (const n of nodes) fragment.append(n);
  el.replaceChildren(fragment);
}
