// A fit's outcome as the command line reports it (in Node and in the Puppeteer runner's page):
// a divergence is not the end of the run's work — the model keeps its last good epoch's Θ
// (DivergenceError.restoredEpoch), which is measured and written like any result, marked as
// diverged (and the command exits with 1). With no good epoch at all the error stands.

import { DivergenceError, type TrainingResult } from '../src/index.js';

export interface Diverged {
  /** The epoch training stopped at, and the one whose Θ the model holds (numbered from 0, as in the message). */
  epoch: number;
  keptEpoch: number;
  message: string;
}

export type Finished = Pick<TrainingResult, 'epochs' | 'status' | 'earlyStopping' | 'bestEpoch'> & { diverged?: Diverged; history?: TrainingResult['history'] };

export async function finished(run: PromiseLike<TrainingResult>): Promise<Finished> {
  try {
    return await run;
  } catch (e) {
    if (!(e instanceof DivergenceError) || e.restoredEpoch < 0) throw e;
    return { epochs: e.restoredEpoch + 1, status: 'completed', diverged: { epoch: e.epoch, keptEpoch: e.restoredEpoch, message: e.message } };
  }
}

/** What the command says of it. */
export function divergedLines(d: Diverged): string {
  return `${d.message}\nThe model written is that last good one (exit status 1).`;
}
