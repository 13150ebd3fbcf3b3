// Timing shared by the training suites.

/** Seconds one call of `once` takes. */
async function seconds(once: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await once();
  return (performance.now() - t0) / 1000;
}

/** The middle value of `t` (the upper one of an even count). */
function middle(t: readonly number[]): number {
  return [...t].sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
}

/** Median seconds of `runs` calls of `once`, after one untimed warm-up call (pipelines, first allocations). */
export async function median(runs: number, once: () => Promise<void>): Promise<number> {
  await once();
  const t: number[] = [];
  for (let r = 0; r < runs; r++) t.push(await seconds(once));
  return middle(t);
}

/**
 * Median seconds of `runs` calls each of `a` and `b`, alternating (a, b, a, b …) after one untimed
 * warm-up call of each, so a machine's drift over the run weighs on both alike; `ratios`: b's
 * seconds over a's, pair by pair.
 */
export async function pairedMedians(runs: number, a: () => Promise<void>, b: () => Promise<void>): Promise<{ a: number; b: number; ratios: number[] }> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < runs; r++) {
    ta.push(await seconds(a));
    tb.push(await seconds(b));
  }
  return { a: middle(ta), b: middle(tb), ratios: ta.map((t, r) => tb[r]! / t) };
}
