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
  c?: number;
  bias?: number;
  gate?: number;
}

/** A checked batch, as MatmulParams' fields. */
export interface BatchStrides {
  count: number;
  batch_a: number;
  batch_b: number;
  batch_c: number;
  batch_bias: number;
  batch_gate: number;
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

const NONE: BatchStrides = { count: 1, batch_a: 0, batch_b: 0, batch_c: 0, batch_bias: 0, batch_gate: 0 };

/**
 * Checks `batch` against the views of product 0 (A, B, C, and the bias and G when given): the
 * last product's views inside their buffers, and the products' C disjoint — one after another,
 * or side by side within C's rows. `maxCount`: the dispatches' limit on products.
 */
export function checkBatch(batch: MatmulBatch | undefined, views: { a: Span; b: Span; c: Span; bias?: Span; gate?: Span }, maxCount: number, c: { rows: number; cols: number; stride: number }): BatchStrides {
  if (batch === undefined) return NONE;
  if (!batch || typeof batch !== 'object') throw new ArgumentError('options.batch', 'must be { count, a?, b?, c?, bias?, gate? }: how many products, and the elements between consecutive products\' operands');
  const count = checkCount('options.batch.count', batch.count, 1);
  if (count > maxCount) throw new ArgumentError('options.batch.count', `is ${count}: one dispatch runs at most ${maxCount} products of this shape on this device`);
  const stride = (name: 'a' | 'b' | 'c' | 'bias' | 'gate') => checkCount(`options.batch.${name}`, batch[name] ?? 0, 0);
  const strides: BatchStrides = { count, batch_a: stride('a'), batch_b: stride('b'), batch_c: stride('c'), batch_bias: stride('bias'), batch_gate: stride('gate') };
  const last = count - 1;
  const inside = (name: string, span: Span | undefined, step: number) => {
    if (!span) return;
    const end = span.end + last * step;
    if (end * 4 > span.buffer.size) throw new ArgumentError(`options.batch.${name}`, `puts product ${last}'s ${name} at elements ${span.offset + last * step} … ${end - 1}, past the ${span.buffer.size / 4} of "${span.buffer.label}"`);
  };
  inside('a', views.a, strides.batch_a);
  inside('b', views.b, strides.batch_b);
  inside('c', views.c, strides.batch_c);
  inside('bias', views.bias, strides.batch_bias);
  inside('gate', views.gate, strides.batch_gate);
  const extent = views.c.end - views.c.offset;
  const apart = strides.batch_c >= extent; // one after another
  const sideBySide = strides.batch_c >= c.cols && (c.rows === 1 || last * strides.batch_c + c.cols <= c.stride); // within C's rows
  if (count > 1 && !apart && !sideBySide) {
    throw new ArgumentError('options.batch.c', `is ${strides.batch_c}: the ${count} products would write the same elements of C (a ${c.rows}×${c.cols} view at stride ${c.stride} spans ${extent}); give each product its own`);
  }
  return strides;
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
