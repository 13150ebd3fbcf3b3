// Training progress as the command line prints it: on a terminal one line redrawn in place with
// a bar (at most ten times a second), otherwise plain lines — every epoch for short runs, about
// twenty lines in all for long ones, and always the last.

export interface Progress {
  epoch: number;
  epochs: number;
  /** J/m with the penalty, over the epoch's examples. */
  cost: number;
  trainAccuracy: number | null;
  /** The held-out examples' accuracy (the digits' test set, or a CSV's validation split). */
  testAccuracy: number | null;
  /** What the held-out examples are called ('test' unless given), and their loss/m (no λ term) for a regression. */
  heldOut?: string;
  heldOutCost?: number | null;
  examplesPerSecond: number;
  /** Estimated from the speed so far. */
  secondsLeft: number;
}

/** One progress line: a bar when `width` is given (a terminal), else plain text. */
export function formatProgress(p: Progress, width?: number): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)} %`);
  const left = p.secondsLeft >= 60 ? `${Math.floor(p.secondsLeft / 60)} min ${Math.round(p.secondsLeft % 60)} s` : `${p.secondsLeft.toFixed(0)} s`;
  const name = p.heldOut ?? 'test';
  const scores =
    p.trainAccuracy === null
      ? p.heldOutCost === undefined || p.heldOutCost === null ? '' : `  ${name} loss/m ${p.heldOutCost.toFixed(4)}`
      : `  train ${pct(p.trainAccuracy)}${p.heldOut !== undefined && p.testAccuracy === null ? '' : `  ${name} ${pct(p.testAccuracy)}`}`;
  const text = `epoch ${p.epoch}/${p.epochs}  J/m ${p.cost.toFixed(4)}${scores}  ${Math.round(p.examplesPerSecond).toLocaleString('en')} examples/s  ${left} left`;
  if (width === undefined) return text;
  const barWidth = Math.max(10, Math.min(30, width - text.length - 4));
  const filled = Math.round((barWidth * p.epoch) / p.epochs);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${text}`;
}

/** Prints progress to `out` (a terminal or not); `done()` ends a redrawn line. */
export function progressPrinter(out: NodeJS.WriteStream = process.stdout): { show(p: Progress): void; done(): void } {
  const tty = !!out.isTTY;
  let last = 0;
  let drawn = false;
  return {
    show(p) {
      if (tty) {
        const now = performance.now();
        if (p.epoch !== p.epochs && now - last < 100) return;
        last = now;
        drawn = true;
        out.write(`\r${formatProgress(p, out.columns ?? 100)}\x1b[K`);
      } else if (p.epochs <= 40 || p.epoch % Math.ceil(p.epochs / 20) === 0 || p.epoch === p.epochs) {
        out.write(`${formatProgress(p)}\n`);
      }
    },
    done() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
