// The benchmarks, each against a baseline measured in the same run on the same adapter:
//
//   npm run bench -- [--only matmul,regression,network,live] [--quick] [--skip-cpu] [--json results.json]
//
//   matmul      GFLOP/s of the matmul kernel vs @tensorflow/tfjs-backend-webgpu and tfjs's CPU backend
//   regression  epochs/s of whole regression fits vs the same descent in tfjs-webgpu ops
//   network     examples/s training 400-25-10 on 5,000 examples, full batch and batch 100,
//               vs tfjs-webgpu and tfjs-cpu training the same network with SGD
//   live        what the demo's live training costs: validation each epoch vs none, plots
//               drawn from GPU buffers vs reading the data back (bench/live.ts)
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

const SUITES = ['matmul', 'regression', 'network', 'live'] as const;
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
  for (const suite of o.only) {
    console.log(`\n## ${suite}`);
    if (suite === 'matmul') results.matmul = await runMatmulBench(ctx, o);
    if (suite === 'regression') results.regression = await runRegressionBench(ctx, o);
    if (suite === 'network') results.network = await runNetworkBench(ctx, o);
    if (suite === 'live') results.live = await runLiveBench(ctx, o);
  }
  for (const [suite, rows] of Object.entries(results)) {
    const unit = rows[0]?.unit ?? '';
    const cpu = rows.some((r) => r.tfjsCpu !== undefined);
    const named = rows.some((r) => r.baselineName !== undefined);
    const base = named ? 'baseline' : 'tfjs-webgpu';
    console.log(`\n${suite}:\n\n| case | ours | ${named ? 'baseline' : `tfjs-webgpu ${unit}`} |${cpu ? ` tfjs-cpu ${unit} |` : ''} ours ÷ ${base} |${cpu ? ' ours ÷ tfjs-cpu |' : ''}`);
    console.log(`|---|---:|---:|${cpu ? '---:|' : ''}---:|${cpu ? '---:|' : ''}`);
    for (const r of rows) {
      const c = r.tfjsCpu ?? null;
      const b = r.baseline ?? r.tfjsWebgpu!;
      const u = named ? ` ${r.unit}` : '';
      console.log(
        `| ${r.name} | ${fmt(r.ours, r.unit)}${u} | ${fmt(b, r.unit)}${u}${named ? ` (${r.baselineName})` : ''} |${cpu ? ` ${c === null ? '—' : fmt(c, unit)} |` : ''} ${(r.ours / b).toFixed(2)}× |` +
          `${cpu ? ` ${c === null ? '—' : `${(r.ours / c).toFixed(2)}×`} |` : ''}`,
      );
    }
  }
  if (o.json) {
    const tfAdapter = (tf.backend() as unknown as { adapterInfo?: unknown }).adapterInfo ?? null;
    writeFileSync(o.json, `${JSON.stringify({ adapter: { ...ctx.adapter, tfjsWebgpu: tfAdapter }, ...results }, null, 2)}\n`);
    console.log(`\nwrote ${o.json}`);
  }
  ctx.destroy();
  return 0;
}
