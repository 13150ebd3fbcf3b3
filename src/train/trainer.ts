// The training scheduler every model is trained by. The training set is on the GPU once
// (chunked when it exceeds one storage binding); each step is recorded from ops built once
// (./training-step.ts) — mini-batch gather, the model's gradient, epoch end, optimiser update —
// many steps to a command buffer, with a per-step record at a dynamic offset. The cost history
// is written on the GPU and read back asynchronously (./history.ts), checkpoints are taken
// without stalls (./checkpoints.ts), so the loop never waits for a readback before recording
// the next steps. Deterministic: no atomics, fixed-order sums, a seeded shuffle. The fit's
// pieces are ./fit-loop.ts; ./group.ts drives several models' fits with one set of passes.

import type { GpuContext } from '../gpu/context.js';
import type { CheckpointSink } from './checkpoints.js';
import { FitLoop, type FitResult } from './fit-loop.js';
import type { ResolvedTrainOptions } from './options.js';
import type { GradientProgram, TrainingData } from './program.js';
import type { TrainingRun } from './run.js';
import type { BuiltStep } from './session.js';

/**
 * Trains `program` on `data`. `epochBase` is the model's count of epochs before this fit (it
 * keys the shuffle, so a second fit does not replay the first one's order). `validation`, when
 * given, is evaluated (forward only, λ = 0) after each epoch's last update. `checkpoint`
 * receives each checkpoint — the first at epoch 0, before any update — with Θ after `epoch`
 * epochs of this call, the reports of the epochs since the previous checkpoint (so a loss
 * costs no history either) and the contents of program.keep. `kept`, a step a session kept from
 * the fit before (src/train/session.ts), is used when it can serve and freed when it cannot; a
 * completed fit hands its step back in the result (`built`) for the caller to keep or free.
 */
export async function runTraining(
  ctx: GpuContext,
  program: GradientProgram,
  data: TrainingData,
  o: ResolvedTrainOptions,
  epochBase: number,
  run: TrainingRun,
  validation?: TrainingData,
  checkpoint?: CheckpointSink,
  kept?: BuiltStep,
): Promise<FitResult> {
  const fit = await FitLoop.open(ctx, { program, data, o, epochBase, run, validation, checkpoint, kept });
  try {
    while (fit.going && (await fit.ready())) {
      const plan = fit.plan();
      await fit.begin(plan);
      let target: GPUBuffer | undefined;
      await ctx.submit(`${program.label} steps ${fit.step}–${fit.step + plan.records.length - 1}`, (enc) => {
        fit.encodeOpening(enc);
        let pass = enc.beginComputePass({ label: `${program.label} steps` });
        plan.records.forEach((_, k) => void (pass = fit.encodeRecord(enc, pass, plan, k)));
        pass.end();
        target = fit.encodeClosing(enc, plan);
      });
      await fit.after(plan, target);
    }
    return await fit.finish();
  } catch (e) {
    throw await fit.failure(e);
  } finally {
    await fit.close();
  }
}
