// Views that repeat, for the matrix multiply (src/kernels/matmul.ts). A batch of products in one
// dispatch (cuBLAS's strided-batched GEMM): product p reads its A, B,
// bias and G and writes its C at the views' offsets plus p times the operand's stride — 0 shares
// the operand (one mini-batch x̃ for every model). The models trained together by trainMany run
// their layers' products this way, each product summed exactly as it is alone (the kernels only
// move the views: shaders/lib/gemm.wgsl set_batch). And C's columns in groups, each a stride
// after the last (several models' activations side by side, each after its bias column).
// Checked here before anything is bound: every view inside its buffer, no two products or rows
// writing one element of C.

import { ArgumentError } from './errors.js';
import { type GpuMatrix, checkCount, checkMatrix } from './matrix.js';

/** The products of a batch: how many, and the elements between product p's operand and product p + 1's (0: shared). */
export interface MatmulBatch {
  count: number;
  a?: number;
  b?: number;
  /** Products in a row that read one A (default 1): product p reads A number ⌊p / repeatA⌋, `a` elements apart — each fold's x̃ for its own models. */
  repeatA?: number;
  /** Likewise for B. */
  repeatB?: number;
  c?: number;
  bias?: number;
  saved?: number;
}

/** A checked batch, as MatmulParams' fields. */
export interface BatchStrides {
  count: number;
  batch_a: number;
  batch_b: number;
  batch_c: number;
  batch_bias: number;
  batch_saved: number;
  repeat_a: number;
  repeat_b: number;
}

/** What a view spans: its first element and one past its last. */
interface Span {
  buffer: GPUBuffer;
  offset: number;
  end: number;
}

/** What a matrix view spans. */
export function matrixSpan(v: { buffer: GPUBuffer; offset: number; rows: number; cols: number; stride: number }): Span {
  return { buffer: v.buffer, offset: v.offset, end: v.offset + (v.rows - 1) * v.stride + v.cols };
}

/** What a vector view spans. */
export function vectorSpan(v: { buffer: GPUBuffer; offset: number; length: number; stride: number }): Span {
  return { buffer: v.buffer, offset: v.offset, end: v.offset + (v.length - 1) * v.stride + 1 };
}

const NONE: BatchStrides = { count: 1, batch_a: 0, batch_b: 0, batch_c: 0, batch_bias: 0, batch_saved: 0, repeat_a: 1, repeat_b: 1 };

/**
 * Checks `batch` against the views of product 0 (A, B, C, and the bias and saved matrix when
 * given): the last product's views inside their buffers, and the products' C (and, when z is
 * saved into it, `zSaved`) disjoint — one after another, or side by side within the rows.
 * `maxCount`: the dispatches' limit on products.
 */
export function checkBatch(
  batch: MatmulBatch | undefined,
  views: { a: Span; b: Span; c: Span; bias?: Span; saved?: Span },
  maxCount: number,
  c: { rows: number; cols: number; stride: number },
  zSaved?: { rows: number; cols: number; stride: number },
): BatchStrides {
  if (batch === undefined) return NONE;
  if (!batch || typeof batch !== 'object') throw new ArgumentError('options.batch', 'must be { count, a?, b?, c?, bias?, saved? }: how many products, and the elements between consecutive products\' operands');
  const count = checkCount('options.batch.count', batch.count, 1);
  if (count > maxCount) throw new ArgumentError('options.batch.count', `is ${count}: one dispatch runs at most ${maxCount} products of this shape on this device`);
  const stride = (name: 'a' | 'b' | 'c' | 'bias' | 'saved') => checkCount(`options.batch.${name}`, batch[name] ?? 0, 0);
  const repeat = (name: 'repeatA' | 'repeatB') => checkCount(`options.batch.${name}`, batch[name] ?? 1, 1);
  const strides: BatchStrides = { count, batch_a: stride('a'), batch_b: stride('b'), batch_c: stride('c'), batch_bias: stride('bias'), batch_saved: stride('saved'), repeat_a: repeat('repeatA'), repeat_b: repeat('repeatB') };
  const last = count - 1;
  const inside = (name: string, span: Span | undefined, step: number, every = 1) => {
    if (!span) return;
    const end = span.end + Math.floor(last / every) * step;
    if (end * 4 > span.buffer.size) throw new ArgumentError(`options.batch.${name}`, `puts product ${last}'s ${name} at elements ${span.offset + Math.floor(last / every) * step} … ${end - 1}, past the ${span.buffer.size / 4} of "${span.buffer.label}"`);
  };
  inside('a', views.a, strides.batch_a, strides.repeat_a);
  inside('b', views.b, strides.batch_b, strides.repeat_b);
  inside('c', views.c, strides.batch_c);
  inside('bias', views.bias, strides.batch_bias);
  inside('saved', views.saved, strides.batch_saved);
  writtenApart('c', count, strides.batch_c, views.c, c);
  if (zSaved && views.saved) writtenApart('saved', count, strides.batch_saved, views.saved, zSaved);
  return strides;
}

/** The `count` products' views of a matrix they write (C, or z saved), `step` apart, overlap nowhere: one after another, or side by side within its rows. */
function writtenApart(name: string, count: number, step: number, span: Span, view: { rows: number; cols: number; stride: number }): void {
  const extent = span.end - span.offset;
  const apart = step >= extent; // one after another
  const sideBySide = step >= view.cols && (view.rows === 1 || (count - 1) * step + view.cols <= view.stride); // within the rows
  if (count > 1 && !apart && !sideBySide) {
    throw new ArgumentError(`options.batch.${name}`, `is ${step}: the ${count} products would write the same elements of ${name === 'c' ? 'C' : 'the saved z'} (a ${view.rows}×${view.cols} view at stride ${view.stride} spans ${extent}); give each product its own`);
  }
}

/** A dispatch grid with one layer per product of a batch: the kernels' z. */
export function batchGrid(grid: [number, number, number], count: number): [number, number, number] {
  return [grid[0], grid[1], count];
}

/** C's column groups checked: each row's groups inside C's row stride and the buffer; `view` spans what C's rows really take. */
export function checkColumnGroups(groups: { size: number; stride: number } | undefined, C: Required<GpuMatrix>): { size: number; stride: number; view: Required<GpuMatrix> } {
  if (!groups) return { size: 0, stride: 0, view: C };
  const { size, stride } = groups;
  if (stride < size) throw new ArgumentError('options.columnGroups.stride', `is ${stride}: a group of ${size} columns needs a stride of at least ${size}`);
  const extent = Math.floor((C.cols - 1) / size) * stride + ((C.cols - 1) % size) + 1;
  if (C.rows > 1 && C.stride < extent) throw new ArgumentError('options.columnGroups', `spread C's ${C.cols} columns over ${extent} elements of a row, past c's stride ${C.stride}`);
  const view = { ...C, cols: extent, stride: Math.max(C.stride, extent) };
  checkMatrix('c', view);
  return { size, stride, view };
}
