// Saving and loading where users keep models, through one save(target) / load(ctx, source): in
// Node a file path (JSON, or ONNX by extension), written atomically; in a browser IndexedDB and a
// download (the downloaded Blob loaded back as a File would be); anywhere bytes and objects.
// Each part runs where its storage exists — the case runs in Node and in Chromium, so every
// part runs in one of them.

import { load } from '../../src/export/load.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { check, expectError } from '../support/compare.js';
import { blobs } from '../support/data.js';
import type { GpuCase } from '../support/gpu.js';
import { using } from '../support/models.js';

const data = blobs(17, [[0, 0], [2, 0], [1, 2]], 8, 1);
const inNode = typeof process !== 'undefined' && !!process.versions?.node;

const cases: GpuCase[] = [
  {
    name: 'save / load: file paths in Node (JSON and ONNX, atomic), IndexedDB and a download in a browser, bytes and objects — the same model, class and predictions back; bad targets named',
    async run(gpu) {
      await using(
        () => [new NeuralNetwork(gpu.ctx, { layers: [2, 4, 3], output: 'softmax', activation: 'tanh', classes: ['a', 'b', 'c'], seed: 1 }), new SoftmaxRegression(gpu.ctx, { classes: 3 })],
        async (net, soft) => {
          await net.fit(data.x, data.y.map((k) => ['a', 'b', 'c'][k]!), { epochs: 5, optimizer: 'adam' });
          await soft.fit(data.x, data.y, { epochs: 5 });
          const want = JSON.stringify(await net.predictProbabilities(data.x));
          const same = async (what: string, source: Parameters<typeof load>[1], labels = true) => {
            const model = await load(gpu.ctx, source);
            try {
              check(model instanceof NeuralNetwork, `${what}: loaded a ${model.constructor.name}`);
              check(JSON.stringify(await (model as NeuralNetwork).predictProbabilities(data.x)) === want, `${what}: other predictions`);
              if (labels) check(JSON.stringify(model.labels) === '["a","b","c"]', `${what}: labels ${JSON.stringify(model.labels)}`);
            } finally {
              model.destroy();
            }
          };
          await same('a JSON object', await net.toJSON());
          await same('ONNX bytes (no labels in ONNX)', await net.toONNX(), false);
          const regression = await load(gpu.ctx, await soft.toJSON());
          check(regression instanceof SoftmaxRegression, `a softmax model came back as ${regression.constructor.name}`);
          regression.destroy();
          if (inNode) {
            const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
            const { join } = await import('node:path');
            const { tmpdir } = await import('node:os');
            const dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-'));
            await net.save(join(dir, 'net.json'));
            await same('a JSON file', join(dir, 'net.json'));
            await net.save({ path: join(dir, 'net.onnx') });
            await same('an ONNX file', join(dir, 'net.onnx'), false);
            // A write that fails leaves the good file as it was (and no temporary file).
            writeFileSync(join(dir, 'keep.json'), readFileSync(join(dir, 'net.json')));
            await expectError(() => net.save(join(dir, 'missing', 'net.json')), ArgumentError, ['target.path', 'could not be written']);
            await expectError(() => net.save({ path: dir }), ArgumentError, ['target.path']);
            await same('the file a failed save did not touch', join(dir, 'keep.json'));
            await expectError(() => load(gpu.ctx, join(dir, 'none.json')), ArgumentError, ['source.path', 'could not be read']);
            await expectError(() => net.save({ indexedDB: 'x' }), ArgumentError, ['target.indexedDB', 'browser']);
          } else {
            await net.save({ indexedDB: 'test net' });
            await same('IndexedDB (JSON)', { indexedDB: 'test net' });
            await net.save({ indexedDB: 'test net onnx', format: 'onnx' });
            await same('IndexedDB (ONNX)', { indexedDB: 'test net onnx' }, false);
            await expectError(() => load(gpu.ctx, { indexedDB: 'no such model' }), ArgumentError, ['source.indexedDB', 'no model']);
            const clicked: HTMLAnchorElement[] = [];
            const click = HTMLAnchorElement.prototype.click;
            HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
              clicked.push(this);
            };
            try {
              await net.save({ download: 'net.json' });
            } finally {
              HTMLAnchorElement.prototype.click = click;
            }
            check(clicked.length === 1 && clicked[0]!.download === 'net.json', 'no download was started');
            await same('the downloaded file', await (await fetch(clicked[0]!.href)).blob());
            await expectError(() => net.save('net.json'), ArgumentError, ['target.path', 'Node']);
          }
          await expectError(() => net.save({} as never), ArgumentError, ['target', 'one place']);
          await expectError(() => net.save({ path: 'a.json', download: 'b.json' } as never), ArgumentError, ['target', 'one place']);
          await expectError(() => net.save({ path: 'a', formt: 'onnx' } as never), ArgumentError, ['target.formt', "did you mean 'format'"]);
          await expectError(() => load(gpu.ctx, { format: 'something' }), ArgumentError, ['json.format']);
          await expectError(() => load(gpu.ctx, new TextEncoder().encode('{ not json')), ArgumentError, ['source', 'not valid JSON']);
        },
      );
    },
  },
];

export const saveLoadCases: GpuCase[] = cases;
