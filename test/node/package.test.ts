// The library as another app gets it: `npm run build:lib` (part of `npm run build`) writes ES
// modules with the WGSL inlined and TypeScript declarations; an app that depends on the package
// imports it by name through package.json "exports" — in plain Node (no Vite, no TypeScript),
// in a type-checked TypeScript app, and through a bundler, which must leave out the plotting
// and the demo when the app imports a model only.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../support/process.js';

const root = new URL('../..', import.meta.url).pathname;
let app: string;

beforeAll(async () => {
  const r = await exec('npm', ['run', 'build:lib'], root);
  if (r.code !== 0) throw new Error(`npm run build:lib failed:\n${r.stdout}\n${r.stderr}`);
  // An app with wgsl-learn in its node_modules, as `npm install` would link a local package.
  app = mkdtempSync(join(tmpdir(), 'wgsl-learn-app-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(root, join(app, 'node_modules', 'wgsl-learn'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'an-app', type: 'module', private: true }));
}, 300_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('the built package', () => {
  it('dist/lib holds ES modules with the WGSL inlined and a declaration for every entry point', () => {
    for (const f of ['index.js', 'plot/index.js', 'types/index.d.ts', 'types/plot/index.d.ts', 'types/data/downsample.d.mts']) expect(existsSync(join(root, 'dist/lib', f)), f).toBe(true);
    const dense = readFileSync(join(root, 'dist/lib/shaders/output_delta.js'), 'utf8');
    expect(dense).toContain('fn cross_entropy');
    const js = readdirSync(join(root, 'dist/lib'), { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
    // No module still imports a .wgsl?raw or a .ts file: everything was compiled in.
    for (const f of js) expect(readFileSync(join(root, 'dist/lib', f), 'utf8'), f).not.toMatch(/(from|import)\s*\(?["'][^"']*(\?raw|\.wgsl|\.ts)["']/);
  });

  it('plain Node imports it by name, trains the lecture’s houses and draws nothing', async () => {
    writeFileSync(join(app, 'houses.mjs'), `
      import { createContext, HOUSES, LinearRegression } from 'wgsl-learn';
      import { Plotter } from 'wgsl-learn/plot';
      const ctx = await createContext();
      const model = new LinearRegression(ctx);
      await model.fit(HOUSES.x, HOUSES.y, { epochs: 400, learningRate: 0.1 });
      const price = (await model.predict([[2000, 3]]))[0];
      console.log(JSON.stringify({ price, plotter: typeof Plotter, adapter: ctx.adapter.source }));
      model.destroy();
      ctx.destroy();
    `);
    const r = await exec(process.execPath, ['houses.mjs'], app);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.adapter).toBe('node-webgpu');
    expect(out.plotter).toBe('function');
    // The normal equation gives about 357 k€ for 2000 m² and 3 bedrooms on the five houses.
    expect(out.price).toBeGreaterThan(330);
    expect(out.price).toBeLessThan(380);
  }, 120_000);

  it('a strict TypeScript app type-checks against the declarations with no set-up of its own (the WebGPU types come with them)', async () => {
    writeFileSync(join(app, 'app.ts'), `
      import { createContext, NeuralNetwork, type NetworkJSON, type TrainOptions, toDigit } from 'wgsl-learn';
      import { Plotter, type LinePlotOptions } from 'wgsl-learn/plot';
      export async function go(device: GPUDevice): Promise<NetworkJSON> {
        const ctx = await createContext({ device });
        const net = new NeuralNetwork(ctx, { layers: [400, 25, 10], output: 'softmax' });
        const options: TrainOptions = { epochs: 1, batchSize: 100 };
        const pixels: Float64Array = toDigit(new Float64Array(28 * 28), 28, 28);
        await net.fit({ rows: 1, cols: 400, data: Float32Array.from(pixels) }, [3], options);
        const plot: LinePlotOptions = { rect: { x: 0, y: 0, width: 1, height: 1 }, x: [0, 1], y: [0, 1], series: [] };
        new Plotter(ctx, 'rgba8unorm').lines(plot);
        return net.toJSON();
      }
    `);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: false,
        lib: ['ES2022', 'DOM'], types: [], typeRoots: [],
      },
      // Nothing but the app: the WebGPU types must come with the package's own declarations.
      files: ['app.ts'],
    }));
    const r = await exec(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it('a bundled app that imports one model leaves out the plotting and the demo', async () => {
    writeFileSync(join(app, 'main.js'), `
      import { createContext, LogisticRegression } from 'wgsl-learn';
      export async function classify(x, y) {
        const model = new LogisticRegression(await createContext());
        await model.fit(x, y);
        return model.predict(x);
      }
    `);
    const out = join(app, 'bundle');
    await build({
      configFile: false, root: app, logLevel: 'warn',
      build: { outDir: out, lib: { entry: join(app, 'main.js'), formats: ['es'], fileName: 'main' }, rollupOptions: { external: ['webgpu', /^node:/] }, minify: false },
    });
    const code = readdirSync(out).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(code).toContain('fn cross_entropy'); // the logistic head's kernel is there
    expect(code).not.toContain('struct LineParams'); // the plot shaders are not
    expect(code).not.toContain('PlotCanvas');
    expect(code).not.toContain('wgsl-learn-demo');
  }, 120_000);
});
