// `wgsl-learn export --model m.json --onnx m.onnx`: a trained model as ONNX (opset 13, input
// "x", output "h"), for ONNX Runtime, Netron or any other runtime.

import { type AnyModel, createContext } from '../../src/index.js';
import { type Flag, UsageError, commandArgs, describeFlags, flagKinds } from '../args.js';
import { checkOutputs, writeAndSay } from '../files.js';
import { datasetMetadata, loadModel, readModelFile } from '../model-file.js';

export const EXPORT_FLAGS: Flag[] = [
  { name: 'model', value: '<file>', kind: flagKinds.path, help: 'the model (JSON from wgsl-learn train)' },
  { name: 'onnx', value: '<file>', kind: flagKinds.path, help: 'write the model as ONNX here' },
  { name: 'help', kind: flagKinds.switch, help: 'this text' },
];

export const EXPORT_USAGE = `usage: wgsl-learn export --model <model.json> --onnx <model.onnx>

${describeFlags(EXPORT_FLAGS)}`;

export async function exportModel(argv: readonly string[]): Promise<number> {
  const args = commandArgs(argv, EXPORT_FLAGS, EXPORT_USAGE);
  if (!args) return 0;
  const { f } = args;
  if (args.positional.length > 0) throw new UsageError(`unexpected ${args.positional.join(' ')}: give the model with --model`);
  const onnx = f.text('onnx');
  if (!onnx) throw new UsageError('--onnx: expected the file to write (the only format export writes)');
  const file = readModelFile(f.text('model'));
  checkOutputs({ '--onnx': onnx }, [file.path]);
  const ctx = await createContext({ warmModels: false }); // export runs nothing on the GPU
  let model: AnyModel | undefined;
  try {
    model = await loadModel(ctx, file);
    const said = await writeAndSay([{ path: onnx, data: await model.toONNX({ metadata: datasetMetadata(file.columns) }), what: 'the ONNX model' }]);
    console.log(said.join('\n'));
  } finally {
    model?.destroy();
    ctx.destroy();
  }
  return 0;
}
