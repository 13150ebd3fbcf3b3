// Θ's layout, computed here once and read by the model, the float64 reference, the saved
// format and ONNX: layers [s₁, …, s_L]; Θ⁽ˡ⁾ is s_{l+1} × (s_l + 1), row-major, its bias
// weights (θ₀ of each unit) in column 0; all layers in one flat array, Θ⁽¹⁾ then Θ⁽²⁾ …, so
// the optimiser updates every parameter in one dispatch. The decay mask is 1 on every weight
// and 0 on every bias weight (bias weights are not regularised).

/** One layer's block of the flat Θ. */
export interface LayerBlock {
  /** Where Θ⁽ˡ⁾ starts in the flat array. */
  offset: number;
  /** s_{l+1}: units of the next layer, one row each. */
  rows: number;
  /** s_l + 1: the layer's units and its bias unit. */
  cols: number;
}

export class ThetaLayout {
  /** One block per Θ⁽ˡ⁾, l = 1 … L − 1. */
  readonly blocks: readonly LayerBlock[];
  /** P, the number of parameters. */
  readonly total: number;

  constructor(readonly layers: readonly number[]) {
    const blocks: LayerBlock[] = [];
    let total = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      blocks.push({ offset: total, rows: layers[l + 1]!, cols: layers[l]! + 1 });
      total += layers[l + 1]! * (layers[l]! + 1);
    }
    this.blocks = blocks;
    this.total = total;
  }

  /** P for layers [s₁, …, s_L], without building the blocks. */
  static count(layers: readonly number[]): number {
    let P = 0;
    for (let l = 0; l + 1 < layers.length; l++) P += layers[l + 1]! * (layers[l]! + 1);
    return P;
  }

  /** 1 on every weight, 0 on every bias weight (column 0 of each Θ⁽ˡ⁾). */
  decayMask(): Float32Array<ArrayBuffer> {
    const decay = new Float32Array(this.total).fill(1);
    for (const b of this.blocks) for (let k = 0; k < b.rows; k++) decay[b.offset + k * b.cols] = 0;
    return decay;
  }

  /** Whether flat index p is a bias weight. */
  isBias(p: number): boolean {
    const { block, col } = this.locate(p);
    return block >= 0 && col === 0;
  }

  /** Layer (1-based), row and column of flat index p. */
  where(p: number): { layer: number; row: number; col: number } {
    const { block, row, col } = this.locate(p);
    return { layer: block + 1, row, col };
  }

  private locate(p: number): { block: number; row: number; col: number } {
    let l = this.blocks.length - 1;
    while (l > 0 && this.blocks[l]!.offset > p) l--;
    const b = this.blocks[l]!;
    return { block: l, row: Math.floor((p - b.offset) / b.cols), col: (p - b.offset) % b.cols };
  }

  /** A flat Θ (or D) split into one row-major array per layer. */
  split<T extends Float64Array | Float32Array | number[]>(flat: T): T[] {
    return this.blocks.map((b) => flat.slice(b.offset, b.offset + b.rows * b.cols) as T);
  }

  /**
   * n for layers [n, …rest] from a flat Θ's length: P = s₂(n + 1) + (the rest) is linear in n.
   * Undefined when no whole n ≥ 1 fits.
   */
  static featuresFor(count: number, rest: readonly number[]): number | undefined {
    const first = rest[0]!;
    const others = ThetaLayout.count(rest);
    const n = (count - others) / first - 1;
    return Number.isInteger(n) && n >= 1 ? n : undefined;
  }
}
