// The training scheduler every model is trained by. The training set is on the GPU once
// (chunked when it exceeds one storage binding); each step is recorded from ops built once
// (./training-step.ts) — mini-batch gather, the model's gradient, epoch end, optimiser update —
// many steps to a command buffer, with a per-step record at a dynamic offset. The cost history
// is written on the GPU and read back asynchronously (./history.ts), checkpoints are taken
// without stalls (./checkpoints.ts), so the loop never waits for a readback before recording
// the next steps. Deterministic: no atomics, fixed-order sums, a seeded shuffle.

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError, DivergenceError } from '../gpu/errors.js';
import { type CheckpointSink, Checkpoints } from './checkpoints.js';
import { lostAfter, lostError } from './device-loss.js';
import { CallerError, HISTORY_STRIDE, HistoryReader } from './history.js';
import type { EpochReport, ResolvedTrainOptions } from './options.js';
import type { GradientProgram, TrainingData } from './program.js';
import type { TrainingResult, TrainingRun } from './run.js';
import type { StepRecord } from './step-table.js';
import { type FitBuffers, TrainingStep } from './training-step.js';
import type { BuiltStep } from './session.js';
import type { OptimizerState } from './optimizer-state.js';
import { costText } from '../show.js';

/** The steps of one command buffer: their records, and which of them end an epoch. */
interface Submit {
  records: StepRecord[];
  endsEpoch: boolean[];
  /** The first epoch (within the fit) that ends in this submit, and how many do. */
  firstEpoch: number;
  epochsEnded: number;
}

function planSubmit(step: number, count: number, stepsPerEpoch: number, m: number, o: ResolvedTrainOptions, epochBase: number, stepBase: number): Submit {
  const records: StepRecord[] = [];
  const endsEpoch: boolean[] = [];
  for (let k = 0; k < count; k++) {
    const g = step + k;
    const b = g % stepsPerEpoch;
    const position = b * o.batchSize;
    const epoch = Math.floor(g / stepsPerEpoch);
    records.push({ epoch: epochBase + epoch, position, count: Math.min(o.batchSize, m - position), t: stepBase + g + 1, rate: o.rateAt(epoch) });
    endsEpoch.push(b === stepsPerEpoch - 1);
  }
  return { records, endsEpoch, firstEpoch: Math.floor(step / stepsPerEpoch), epochsEnded: endsEpoch.filter(Boolean).length };
}

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
): Promise<Omit<TrainingResult, 'recoveries' | 'repeatedEpochs' | 'optimizerContinued'> & { optimizer?: OptimizerState; built?: BuiltStep }> {
  const m = data.examples;
  const label = program.label;
  const stepsPerEpoch = Math.ceil(m / o.batchSize);
  const totalSteps = o.epochs * stepsPerEpoch;
  const shape = { hasAccuracy: program.hasAccuracy, validation: !!validation };
  let built: BuiltStep | undefined;
  let handed: BuiltStep | undefined;
  let history: HistoryReader | undefined;
  let checkpoints: Checkpoints | undefined;
  const abort = () => run.cancel(); // also wakes a paused run
  o.signal?.addEventListener('abort', abort);
  let step = 0;
  // Adam's t goes on from the steps of the fits whose moments this one carries on.
  const stepBase = program.optimizer?.steps ?? 0;
  try {
    if (kept?.step.refresh(kept.buffers, o, epochBase)) built = kept;
    else kept?.step.destroy();
    built ??= await TrainingStep.build(ctx, program, data, o, epochBase, validation);
    const { buffers, stepsPerSubmit } = built;
    history = new HistoryReader(ctx, {
      ...shape, label, epochBase, epochsPerStaging: Math.min(o.epochs, stepsPerSubmit), onEpoch: o.onEpoch, live: o.live,
      cancelled: () => run.state === 'cancelled', cancel: () => run.cancel(),
    });
    const epochsPerSubmit = Math.ceil(stepsPerSubmit / stepsPerEpoch) + 1;
    if (checkpoint && o.checkpointEvery > 0) {
      checkpoints = new Checkpoints(ctx, {
        ...shape, label, every: o.checkpointEvery, epochs: o.epochs, epochsPerSubmit,
        theta: program.theta, parameters: program.parameters, keep: program.keep, history: buffers.history, sink: checkpoint,
      });
    }
    while (step < totalSteps && !history.stopped && !history.earlyStop) {
      if (ctx.lost) break;
      if (o.signal?.aborted) run.cancel();
      // Paused: deliver the epochs already run before waiting, so the caller sees where it stopped.
      if (run.state === 'paused') await history.drain();
      if (!(await run.proceed())) break;
      // Read live (onEpoch, early stopping), a command buffer never runs past an epoch's end, so a stop asked for in
      // onEpoch finds at most the first command buffer of the next epoch run (and undoes it).
      const count = Math.min(stepsPerSubmit, totalSteps - step, history.live ? stepsPerEpoch - (step % stepsPerEpoch) : Infinity);
      const plan = planSubmit(step, count, stepsPerEpoch, m, o, epochBase, stepBase);
      if (step === 0) {
        // Θ and the moments change from here: carried moments are this fit's to free, unless it completes.
        if (program.optimizer) built.step.adopt(program.optimizer.moments);
        program.started?.();
      }
      const target = await submitSteps(ctx, built.step, buffers, plan, step, stepsPerEpoch, validation?.examples, o, history, checkpoints);
      step += count;
      if (target) await history.submitted(target, plan.firstEpoch, plan.epochsEnded);
    }
    await history.drain();
    if (ctx.lost) throw lostError(ctx, history.reports, Math.floor(step / stepsPerEpoch));
    if (history.stoppedByCaller !== undefined && step > (history.stoppedByCaller + 1) * stepsPerEpoch) {
      // The epoch after the stop had begun: put back Θ as the stopped epoch left it.
      await putTheta(ctx, program, buffers.rewind!, 'rewind');
    }
    await history.settled();
    if (!history.live) await history.readAll(buffers.state, buffers.history, Math.floor(step / stepsPerEpoch));
    if (history.stopped) throw await divergence(ctx, program, buffers, history, o, m);
    await checkpoints?.settled();
    const early = history.earlyStop;
    if (early && early.bestEpoch < 0) throw await neverFinite(ctx, program, buffers, history);
    if (early) {
      if (o.earlyStopping!.restoreBest) await putTheta(ctx, program, buffers.bestValidation!, 'restore best');
      return { status: 'early-stopped', epochs: history.reports.length, history: history.reports, earlyStopping: { stoppedAt: early.epoch, bestEpoch: early.bestEpoch } };
    }
    if (step < totalSteps) return { status: 'cancelled', epochs: history.reports.length, history: history.reports };
    const best = await restoreBestAtEnd(ctx, program, buffers, history, o);
    const optimizer = { optimizer: o.optimizer, beta1: o.beta1, beta2: o.beta2, moments: built.step.release(buffers.moments), steps: stepBase + totalSteps };
    handed = built;
    return { status: 'completed', epochs: history.reports.length, history: history.reports, optimizer, built, ...best };
  } catch (e) {
    // A lost device shows up as whatever failed first (a map, an error scope): say what happened.
    if (e instanceof DivergenceError || e instanceof ArgumentError || e instanceof CallerError) throw e;
    if (await lostAfter(ctx, e)) throw lostError(ctx, history?.reports ?? [], Math.floor(step / stepsPerEpoch));
    throw e;
  } finally {
    await checkpoints?.settled();
    o.signal?.removeEventListener('abort', abort);
    history?.destroy();
    checkpoints?.destroy();
    if (built !== handed) built?.step.destroy();
  }
}

/**
 * Writes the step records of one command buffer, records its steps (and a checkpoint where one
 * is due), and submits it. Returns the staging buffer its history readback goes to, if live.
 */
async function submitSteps(
  ctx: GpuContext,
  trainingStep: TrainingStep,
  buffers: FitBuffers,
  plan: Submit,
  step: number,
  stepsPerEpoch: number,
  validationExamples: number | undefined,
  o: ResolvedTrainOptions,
  history: HistoryReader,
  checkpoints: Checkpoints | undefined,
): Promise<GPUBuffer | undefined> {
  const { records, endsEpoch, firstEpoch, epochsEnded } = plan;
  trainingStep.steps.write(records);
  if (validationExamples !== undefined) trainingStep.validationSteps!.write(records.map((r) => ({ ...r, position: 0, count: validationExamples })));
  const target = history.target();
  const doneAfter = (k: number) => Math.floor((step + k) / stepsPerEpoch) + 1; // epochs done after record k
  const boundary = endsEpoch.some((ends, k) => ends && doneAfter(k) % o.checkpointEvery === 0);
  await checkpoints?.beforeSubmit(boundary, Math.floor((step + records.length) / stepsPerEpoch));
  const label = trainingStep.label;
  await ctx.submit(`${label} steps ${step}–${step + records.length - 1}`, (enc) => {
    // Θ as this command buffer finds it, to undo it if the caller stops the run at the epoch before.
    if (buffers.rewind) enc.copyBufferToBuffer(trainingStep.theta, 0, buffers.rewind, 0, buffers.rewind.size);
    if (step === 0) {
      // θ_good (and the best validation epoch's θ) start as the initial θ, so a first epoch that
      // diverges restores it, and no restore ever copies a buffer nothing wrote; the first
      // checkpoint is Θ as the fit found it. All in the first command buffer: no round trip of their own.
      for (const kept of [buffers.thetaGood, buffers.bestValidation]) if (kept) enc.copyBufferToBuffer(trainingStep.theta, 0, kept, 0, kept.size);
      checkpoints?.takeFirst(enc);
    }
    let pass = enc.beginComputePass({ label: `${label} steps` });
    records.forEach((_, k) => {
      trainingStep.encode(pass, k, endsEpoch[k]!);
      if (checkpoints && endsEpoch[k] && checkpoints.due(doneAfter(k))) {
        pass.end();
        checkpoints.copy(enc, doneAfter(k));
        pass = enc.beginComputePass({ label: `${label} steps` });
      }
    });
    pass.end();
    if (target) HistoryReader.copy(enc, target, buffers.state, buffers.history, firstEpoch, epochsEnded);
    const bytes = HISTORY_STRIDE * 4;
    if (epochsEnded > 0 && o.historyBuffer) enc.copyBufferToBuffer(buffers.history, firstEpoch * bytes, o.historyBuffer, firstEpoch * bytes, epochsEnded * bytes);
  });
  checkpoints?.afterSubmit();
  return target;
}

/** Θ back from a copy the fit kept (`from`): the rewind, the best validation epoch's, the last good one's. */
function putTheta(ctx: GpuContext, program: GradientProgram, from: GPUBuffer, what: string): Promise<void> {
  return ctx.submit(`${program.label} ${what}`, (enc) => enc.copyBufferToBuffer(from, 0, program.theta, 0, program.parameters * 4));
}

/**
 * A fit that watched its validation cost (earlyStopping) and ran every epoch ends, as Keras 3's
 * EarlyStopping(restore_best_weights) does, with the best validation epoch's parameters unless
 * restoreBest is false. Returns that epoch ({} when nothing is restored).
 */
async function restoreBestAtEnd(ctx: GpuContext, program: GradientProgram, buffers: FitBuffers, history: HistoryReader, o: ResolvedTrainOptions): Promise<{ bestEpoch?: number }> {
  const best = history.validationBest;
  if (!o.earlyStopping?.restoreBest || best === undefined || best < 0) return {};
  if (best < history.reports.length - 1) await putTheta(ctx, program, buffers.bestValidation!, 'restore best');
  return { bestEpoch: best };
}

/**
 * Early stopping found no epoch whose validation cost was finite: there is no best epoch to
 * keep, and the last one is no better judged. The model goes back to its θ from before the fit
 * (nothing silently "restored" that was never measured), and the error says why.
 */
async function neverFinite(ctx: GpuContext, program: GradientProgram, buffers: FitBuffers, history: HistoryReader): Promise<DivergenceError> {
  await putTheta(ctx, program, buffers.bestValidation!, 'restore');
  const { reports } = history;
  const last = reports[reports.length - 1]?.validation?.cost;
  return new DivergenceError(
    `early stopping saw no finite validation cost in ${reports.length} epochs (the last was ${last}): the held-out examples' cost overflows float32 — ` +
      'a target or a feature there is too large for float32 arithmetic; scale or standardise them. The model keeps its parameters from before this fit.',
    reports.length - 1,
    -1,
    reports,
  );
}

/** Puts the best epoch's θ back and says what happened. */
async function divergence(ctx: GpuContext, program: GradientProgram, buffers: FitBuffers, history: HistoryReader, o: ResolvedTrainOptions, examples: number): Promise<DivergenceError> {
  const { stopped, reports } = history;
  await putTheta(ctx, program, buffers.thetaGood, 'restore');
  const last: EpochReport | undefined = reports[reports.length - 1];
  const good = stopped!.restored >= 0 ? reports[stopped!.restored] : undefined;
  const finite = !!last && Number.isFinite(last.cost);
  // Full-batch, the first epoch's cost is J at the θ the fit started from: no step has been
  // taken, so α cannot be what overflowed it — the data (or the starting θ) are too large for float32.
  const beforeAnyStep = stopped!.epoch === 0 && !finite && o.batchSize >= examples;
  const cause = beforeAnyStep
    ? 'That is the cost at the parameters the fit started from, before any step: the targets, the features or the parameters are too large for float32 arithmetic. Scale or standardise them'
    : `The learning rate α = ${o.learningRate} is probably too large: try α = ${Number((o.learningRate / 10).toPrecision(6))}` +
      // A model that standardises its features (keeps their μ and σ) has nothing to normalise.
      `${program.label === 'linear regression' && !program.keep ? ', and normalise the features (normalize: true) unless they are already standardised' : ''}` +
      `${stopped!.epoch === 0 && !finite ? ' (or the data are too large for float32: scale them)' : ''}`;
  return new DivergenceError(
    `training diverged at epoch ${stopped!.epoch}: the cost ${finite ? `rose to ${costText(last!.cost)}` : 'became NaN or infinite'}. ${cause}. ` +
      (good ? `The model keeps the parameters of epoch ${stopped!.restored} (cost ${costText(good.cost)}).` : 'The model keeps its parameters from before this fit.'),
    stopped!.epoch,
    stopped!.restored,
    reports,
  );
}
