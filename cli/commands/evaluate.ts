// `wgsl-learn evaluate --model m.json data.csv`: how the model does on a labelled file — a
// classifier's accuracy, loss/m, per-class precision/recall/F1 and confusion matrix; a
// regression's RMSE, MAE, R² and loss/m (no λ term) — printed, and written as JSON with --metrics.
// `wgsl-learn evaluate --model digits.json --digits`: the same on the 2,000 test digits.

import { type AnyModel, type Label, createContext } from '../../src/index.js';
import { type Flag, UsageError, commandArgs, describeFlags, flagKinds } from '../args.js';
import { loadDigits } from '../digits.js';
import { checkOutputs, writeAndSay } from '../files.js';
import { loadModel, modelTarget, readModelFile } from '../model-file.js';
import { type Report, classificationTable, reportOn, summaryLine } from '../report.js';
import { type Matrix, readTableFile } from '../table.js';
import { checkInputs, featureNames } from './predict.js';

export const EVALUATE_FLAGS: Flag[] = [
  { name: 'model', value: '<file>', kind: flagKinds.path, help: 'the model (JSON from wgsl-learn train, or ONNX)' },
  { name: 'target', value: '<column>', kind: flagKinds.text('the name of a column'), help: 'the column holding the answers (default: the one the model was trained on)' },
  { name: 'features', value: '<columns>', kind: flagKinds.list('column names, comma-separated'), help: 'the input columns, when the model file does not name them' },
  { name: 'digits', kind: flagKinds.switch, help: 'evaluate on the built-in test digits instead of a file' },
  { name: 'metrics', value: '<file>', kind: flagKinds.path, help: 'write the figures as JSON' },
  { name: 'help', kind: flagKinds.switch, help: 'this text' },
];

export const EVALUATE_USAGE = `usage: wgsl-learn evaluate --model <model.json> <data.csv> [--metrics metrics.json]
       wgsl-learn evaluate --model <digits.json> --digits

${describeFlags(EVALUATE_FLAGS)}`;

export async function evaluate(argv: readonly string[]): Promise<number> {
  const args = commandArgs(argv, EVALUATE_FLAGS, EVALUATE_USAGE);
  if (!args) return 0;
  const { f } = args;
  const digits = f.has('digits');
  if (digits ? args.positional.length > 0 : args.positional.length !== 1) throw new UsageError(digits ? '--digits: evaluates on the built-in test digits, not on a file' : 'expected one CSV file to evaluate on (or --digits)');
  const file = readModelFile(f.text('model'));
  const data = args.positional[0];
  checkOutputs({ '--metrics': f.text('metrics') }, [file.path, ...(data ? [data] : [])]);
  let examples: { x: Matrix; y: readonly Label[] | Float64Array; name: string };
  if (digits) {
    const test = (await loadDigits((line) => console.log(line))).test;
    examples = { x: test.x, y: Array.from(test.y), name: 'the test digits' };
  } else {
    const given = f.text('target');
    const target = given ?? file.columns?.target;
    if (!target) throw new UsageError(`--target: ${file.path} does not name its target column; give it with --target <column>`);
    // The target is read as the model reads it — its values, or its own classes — never re-guessed from this file.
    const flag = given ? '--target' : `the target of the model ${file.path}`;
    const read = await readTableFile(data!, { ...featureNames(file, f.list('features'), 'give them with --features a,b,c'), target: { name: target, kind: modelTarget(file), flag } });
    const t = read.target!;
    examples = { x: read.x, y: t.kind === 'values' ? t.values : t.labels, name: data! };
  }
  const ctx = await createContext({ warmModels: false }); // builds only what predicting these rows uses
  let model: AnyModel | undefined;
  try {
    model = await loadModel(ctx, file);
    checkInputs(model, examples.x.cols, file.path);
    const numeric = examples.y instanceof Float64Array;
    if (model.head === 'linear' && !numeric) throw new UsageError(`${examples.name}: the target holds labels, and ${file.path} predicts values`);
    // A classifier reads numbers in the target column as its labels.
    const y = model.head === 'linear' ? examples.y : Array.from(examples.y);
    let report: Report;
    try {
      report = await reportOn(model, examples.x, y);
    } catch (e) {
      if ((e as Error).name !== 'ArgumentError') throw e;
      throw new UsageError(`${examples.name} does not fit ${file.path}: ${(e as Error).message}`);
    }
    console.log(summaryLine(`${examples.name} (${examples.x.rows} examples)`, report));
    if (report.kind === 'classification') console.log(classificationTable(report));
    const metrics = f.text('metrics');
    if (metrics) {
      const said = await writeAndSay([{ path: metrics, data: `${JSON.stringify({ model: file.path, data: examples.name, examples: examples.x.rows, ...report }, null, 2)}\n`, what: 'the metrics' }]);
      console.log(said.join('\n'));
    }
  } finally {
    model?.destroy();
    ctx.destroy();
  }
  return 0;
}
