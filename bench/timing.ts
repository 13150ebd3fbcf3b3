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
