// The benchmarks, each against a baseline measured in the same run on the same adapter:
//
//   npm run bench -- [--only check,peak,matmul,regression,network,growth,live,contention,fixed,selection,stacking,activations] [--quick] [--skip-cpu] [--json results.json]
//
//   check       a correctness pass through the public API on this adapter (bench/check.ts): matmul
//               against float64 with every tiling it can run, a gradient check, a fit that must
//               learn, bit-identical reruns; a failure fails the run
//
//   peak        the adapter's vec4 FMA ceiling (bench/peak.ts); measured whenever matmul or network
//               runs too, which then report each row as a fraction of it
//   matmul      GFLOP/s of the matmul kernel vs @tensorflow/tfjs-backend-webgpu and tfjs's CPU backend
//   regression  epochs/s of whole regression fits vs the same descent in tfjs-webgpu ops
//   network     examples/s training 400-25-10 on 5,000 examples, full batch and batch 100,
//               vs tfjs-webgpu and tfjs-cpu training the same network with SGD
//   live        what the demo's live training costs: validation each epoch vs none, plots
//               drawn from GPU buffers vs reading the data back (bench/live.ts)
//   contention  matmul 1024² with one busy process per core beside it, as a fraction of its quiet
//               rate, vs tfjs-webgpu's (bench/contention.ts)
//   fixed       what is not arithmetic: the first fit's pipelines, set-up MB/s vs a JavaScript
//               copy-and-scan, one-row prediction latency, the command line cold vs warm (bench/fixed.ts)
//   selection   K ∈ {1, 8, 64} models of 400-25-10 trained together by trainMany vs the same fits one
//               by one, and vs K sequential tfjs-webgpu and tfjs-cpu fits (bench/selection.ts)
//   stacking    the products most of a batch-100 step is, for K models: one product over their
//               stacked Θ⁽¹⁾ vs K products, same bits required (bench/stacking.ts)
//   activations examples/s training 400-25-10 at batch 100 with each registered activation vs
//               sigmoid's, same run: what keeping z costs swish, GELU, mish (bench/activations.ts)
//
// tfjs-backend-webgpu asks navigator.gpu for its adapter: it is given the same Dawn instance,
// so with the same power preference it gets the adapter our context uses.

import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { createContext } from '../src/gpu/context.js';
import { nodeGpu } from '../src/node/webgpu.js';
import { runLiveBench } from './live.js';
import { runMatmulBench } from './matmul.js';
import { runNetworkBench } from './network.js';
import { runRegressionBench } from './regression.js';
import { runGrowthBench } from './growth.js';
import { runContentionBench } from './contention.js';
import { ceiling, measurePeak } from './peak.js';
import { runFixedBench } from './fixed.js';
import { runCheck } from './check.js';
import { runSelectionBench } from './selection.js';
import { runStackingBench } from './stacking.js';
import { runActivationBench } from './activations.js';

const SUITES = ['check', 'peak', 'matmul', 'regression', 'network', 'growth', 'live', 'contention', 'fixed', 'selection', 'stacking', 'activations'] as const;
type Suite = (typeof SUITES)[number];

interface Row {
  name: string;
  unit: string;
  ours: number;
  /** The baseline: tfjs-webgpu, unless a suite names its own (baseline, baselineName). */
  tfjsWebgpu?: number;
  baseline?: number;
  baselineName?: string;
  tfjsCpu?: number | null;
  /** The row's arithmetic rate, GFLOP/s, where it has one: reported as a fraction of the adapter's peak. */
  gflops?: number;
  fractionOfPeak?: number;
  /** A curve's point against its first (growth). */
  relative?: number;
  /** Ours after tuneMatmul's choice (matmul, hardware adapters), and the candidate chosen. */
  tuned?: number | null;
  tunedChoice?: string;
}

function parse(args: string[]): { only: Suite[]; quick: boolean; skipCpu: boolean; json?: string } {
  const out: { only: Suite[]; quick: boolean; skipCpu: boolean; json?: string } = { only: [...SUITES], quick: false, skipCpu: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--quick') out.quick = true;
    else if (args[i] === '--skip-cpu') out.skipCpu = true;
    else if (args[i] === '--json') {
      out.json = args[++i];
      if (!out.json) throw new Error('--json needs a file name');
    } else if (args[i] === '--only') {
      const names = (args[++i] ?? '').split(',');
      for (const n of names) if (!SUITES.includes(n as Suite)) throw new Error(`--only: unknown suite "${n}"; the suites are ${SUITES.join(', ')}`);
      out.only = names as Suite[];
    } else throw new Error(`unknown option ${args[i]}; usage: npm run bench -- [--only ${SUITES.join(',')}] [--quick] [--skip-cpu] [--json file]`);
  }
  return out;
}

const fmt = (v: number, unit: string) => (unit === 'GFLOP/s' || v < 100 ? v.toFixed(3) : v.toFixed(0));

/** Each suite's rows as a Markdown table: against its baseline, tfjs, the adapter's peak, as the suite has them. */
function printTables(results: Partial<Record<Suite, Row[]>>): void {
  for (const [suite, rows] of Object.entries(results)) {
    const unit = rows[0]?.unit ?? '';
    const ofPeak = rows.some((r) => r.fractionOfPeak !== undefined);
    const cpu = rows.some((r) => r.tfjsCpu !== undefined);
    const named = rows.some((r) => r.baselineName !== undefined);
    const base = named ? 'baseline' : 'tfjs-webgpu';
    if (suite === 'peak') {
      console.log(`\npeak:\n\n| case | GFLOP/s |\n|---|---:|\n| ${rows[0]!.name} | ${fmt(rows[0]!.ours, 'GFLOP/s')} |`);
      continue;
    }
    if (rows[0]?.baseline === undefined && rows[0]?.tfjsWebgpu === undefined) {
      // A suite of its own curve (growth): the value and its fraction of the peak.
      console.log(`\n${suite}:\n\n| case | ours ${unit} | against the first |${ofPeak ? ' GFLOP/s | of peak |' : ''}\n|---|---:|---:|${ofPeak ? '---:|---:|' : ''}`);
      for (const r of rows) {
        const rel = r.relative === undefined ? '—' : `${r.relative >= 1 ? '+' : '−'}${Math.abs(100 * (r.relative - 1)).toFixed(1)} %`;
        console.log(`| ${r.name} | ${fmt(r.ours, r.unit)} | ${rel} |${ofPeak ? ` ${r.gflops!.toFixed(3)} | ${(100 * r.fractionOfPeak!).toFixed(1)} % |` : ''}`);
      }
      continue;
    }
    const tuned = rows.some((r) => typeof r.tuned === 'number');
    // A suite with a baseline of its own may also run tfjs-webgpu: its column then comes after the baseline's.
    const webgpu = named && rows.some((r) => r.tfjsWebgpu !== undefined);
    console.log(`\n${suite}:\n\n| case | ours | ${named ? 'baseline' : `tfjs-webgpu ${unit}`} |${webgpu ? ` tfjs-webgpu ${unit} | ours ÷ tfjs-webgpu |` : ''}${cpu ? ` tfjs-cpu ${unit} |` : ''} ours ÷ ${base} |${cpu ? ' ours ÷ tfjs-cpu |' : ''}${ofPeak ? ' ours, of peak |' : ''}${tuned ? ` tuned ÷ ${base} (tiling) |` : ''}`);
    console.log(`|---|---:|---:|${webgpu ? '---:|---:|' : ''}${cpu ? '---:|' : ''}---:|${cpu ? '---:|' : ''}${ofPeak ? '---:|' : ''}${tuned ? '---:|' : ''}`);
    for (const r of rows) {
      const c = r.tfjsCpu ?? null;
      const b = r.baseline ?? r.tfjsWebgpu!;
      const u = named ? ` ${r.unit}` : '';
      console.log(
        `| ${r.name} | ${fmt(r.ours, r.unit)}${u} | ${fmt(b, r.unit)}${u}${named ? ` (${r.baselineName})` : ''} |${webgpu ? ` ${r.tfjsWebgpu === undefined ? '—' : `${fmt(r.tfjsWebgpu, r.unit)} | ${(r.ours / r.tfjsWebgpu).toFixed(2)}×`} |` : ''}${cpu ? ` ${c === null ? '—' : fmt(c, unit)} |` : ''} ${(r.ours / b).toFixed(2)}× |` +
          `${cpu ? ` ${c === null ? '—' : `${(r.ours / c).toFixed(2)}×`} |` : ''}${ofPeak ? ` ${r.fractionOfPeak === undefined ? '—' : `${(100 * r.fractionOfPeak).toFixed(1)} %`} |` : ''}` +
          `${tuned ? ` ${typeof r.tuned === 'number' ? `${(r.tuned / b).toFixed(2)}× (${r.tunedChoice})` : '—'} |` : ''}`,
      );
    }
  }
}

export async function main(args: string[]): Promise<number> {
  const o = parse(args);
  const ctx = await createContext();
  console.log(`adapter: ${JSON.stringify(ctx.adapter)}`);
  if (ctx.adapter.isFallbackAdapter) console.log('note: software (fallback) adapter: figures are CPU-bound');
  const { globals } = (await import('webgpu')) as { globals: object };
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: await nodeGpu(), userAgent: 'node' }, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');

  const results: Partial<Record<Suite, Row[]>> = {};
  // The ceiling first, in the same run as the rows it measures.
  let peak: number | undefined;
  if (o.only.some((s) => s === 'peak' || s === 'matmul' || s === 'network' || s === 'growth')) {
    console.log('\n## peak');
    const measured = await measurePeak(ctx, o);
    const top = ceiling(measured, ctx.adapter);
    peak = top.gflops;
    console.log(`vec4 FMA peak: ${measured.toFixed(3)} GFLOP/s; rows are reported against ${top.source}, ${peak.toFixed(3)} GFLOP/s`);
    if (o.only.includes('peak')) results.peak = [{ name: 'vec4 FMA peak (no memory traffic)', unit: 'GFLOP/s', ours: measured, gflops: measured }];
  }
  for (const suite of o.only) {
    if (suite === 'peak') continue;
    console.log(`\n## ${suite}`);
    if (suite === 'matmul') results.matmul = await runMatmulBench(ctx, o);
    if (suite === 'growth') results.growth = await runGrowthBench(ctx, o);
    if (suite === 'regression') results.regression = await runRegressionBench(ctx, o);
    if (suite === 'network') results.network = await runNetworkBench(ctx, o);
    if (suite === 'live') results.live = await runLiveBench(ctx, o);
    if (suite === 'contention') results.contention = await runContentionBench(ctx, o);
    if (suite === 'fixed') results.fixed = await runFixedBench(ctx, o);
    if (suite === 'check') results.check = await runCheck(ctx);
    if (suite === 'selection') results.selection = await runSelectionBench(ctx, o);
    if (suite === 'stacking') results.stacking = await runStackingBench(ctx, o);
    if (suite === 'activations') results.activations = await runActivationBench(ctx, o);
  }
  for (const rows of Object.values(results)) for (const r of rows) if (peak && r.gflops !== undefined) r.fractionOfPeak = r.gflops / peak;
  printTables(results);
  if (o.json) {
    const tfAdapter = (tf.backend() as unknown as { adapterInfo?: unknown }).adapterInfo ?? null;
    writeFileSync(o.json, `${JSON.stringify({ adapter: { ...ctx.adapter, tfjsWebgpu: tfAdapter }, peakGflops: peak ?? null, ...results }, null, 2)}\n`);
    console.log(`\nwrote ${o.json}`);
  }
  ctx.destroy();
  return 0;
}
