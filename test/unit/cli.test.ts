// The command line's option parser and progress line, without a GPU.

import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, UsageError, parseTrainArgs } from '../../cli/options.js';
import { formatProgress } from '../../cli/train-digits.js';

describe('npm run train options', () => {
  it('defaults are the demo page’s network and training', () => {
    expect(parseTrainArgs([]).settings).toEqual({ hidden: [25], output: 'softmax', lambda: 1, alpha: 0.01, optimizer: 'adam', batch: 100, epochs: 10, seed: 0 });
    expect(DEFAULT_SETTINGS.hidden).toEqual([25]); // not changed by parsing
  });

  it('every option, in both --name value and --name=value forms', () => {
    const cmd = parseTrainArgs(['--hidden', '100,25', '--output=sigmoid', '--lambda', '0', '--alpha=0.5', '--optimizer', 'sgd', '--batch', 'full', '--epochs', '3', '--seed=7', '--out', 'm.json', '--metrics', 'x.json', '--onnx', 'm.onnx']);
    expect(cmd.settings).toEqual({ hidden: [100, 25], output: 'sigmoid', lambda: 0, alpha: 0.5, optimizer: 'sgd', batch: 'full', epochs: 3, seed: 7 });
    expect([cmd.out, cmd.metrics, cmd.onnx, cmd.help]).toEqual(['m.json', 'x.json', 'm.onnx', false]);
    expect(parseTrainArgs(['--help']).help).toBe(true);
  });

  it('bad options are named, with what was expected', () => {
    const bad: [string[], RegExp][] = [
      [['--alpha', '-1'], /--alpha: expected a number > 0, got "-1"/],
      [['--lambda', 'NaN'], /--lambda: expected a number ≥ 0/],
      [['--batch', '1.5'], /--batch: expected an integer from 1 to 8000, or full/],
      [['--seed', '-3'], /--seed: expected an integer from 0/],
      [['--hidden', '0'], /--hidden: expected unit counts/],
      [['--output', 'relu'], /--output: expected softmax or sigmoid/],
      [['--epochs'], /--epochs: expected a value/],
      [['--epochs', '--seed', '1'], /--epochs: expected a value/],
      [['model.json'], /unknown option model\.json/],
    ];
    for (const [args, message] of bad) {
      expect(() => parseTrainArgs(args), args.join(' ')).toThrow(UsageError);
      expect(() => parseTrainArgs(args), args.join(' ')).toThrow(message);
    }
  });
});

describe('progress line', () => {
  const p = { epoch: 3, epochs: 10, cost: 0.41234, trainAccuracy: 0.9031, testAccuracy: 0.9065, examplesPerSecond: 6118.4, secondsLeft: 75 };

  it('plain text when not on a terminal', () => {
    expect(formatProgress(p)).toBe('epoch 3/10  J/m 0.4123  train 90.31 %  test 90.65 %  6,118 examples/s  1 min 15 s left');
  });

  it('a bar filled in proportion on a terminal, fitted to its width', () => {
    const line = formatProgress(p, 140);
    const bar = /^\[(#*)(-*)\] /.exec(line)!;
    expect(bar).not.toBeNull();
    const width = bar[1]!.length + bar[2]!.length;
    expect(bar[1]!.length).toBe(Math.round((width * 3) / 10));
    expect(line.length).toBeLessThanOrEqual(140);
    expect(formatProgress({ ...p, epoch: 10, secondsLeft: 0 }, 140)).toMatch(/^\[#+\] epoch 10\/10/);
  });
});
