// Timing shared by the training suites.

/** Median seconds of `runs` calls of `once`, after one untimed warm-up call (pipelines, first allocations). */
export async function median(runs: number, once: () => Promise<void>): Promise<number> {
  await once();
  const t: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await once();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
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
    for (const [once, t] of [[a, ta], [b, tb]] as const) {
      const t0 = performance.now();
      await once();
      t.push((performance.now() - t0) / 1000);
    }
  }
  const mid = (t: number[]) => [...t].sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
  return { a: mid(ta), b: mid(tb), ratios: ta.map((t, r) => tb[r]! / t) };
}
