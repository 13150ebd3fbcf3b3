// Command-line arguments as every command reads them: `--name value`, `--name=value`, bare
// switches (`--digits`), and positional arguments (files). Each command declares its flags in a
// table; a flag not in it, a value missing, or a value out of range is a UsageError that names
// the flag and what was expected (with the closest flag for a misspelling).

import { closest } from '../src/spelling.js';

/** A command line that cannot be run: the message says which option and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * What a flag's value must be: `type` is its shape (the option test's key to wrong values),
 * `expected` says it in words, `ok` accepts the text. A switch takes no value.
 */
export type FlagKind =
  | { type: 'switch' }
  | { type: 'number' | 'integer' | 'choice' | 'list' | 'text' | 'path' | 'custom'; expected: string; ok: (text: string) => boolean; min?: number; max?: number };

export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Whether `text` is a decimal integer from min to max. */
export function isInteger(text: string, min: number, max: number): boolean {
  const v = Number(text);
  return NUMBER.test(text.trim()) && Number.isInteger(v) && v >= min && v <= max;
}

/** The kinds flags are made of. */
export const flagKinds = {
  switch: { type: 'switch' } as FlagKind,
  /** A decimal number (no hex, no Infinity or NaN) that `ok` accepts. */
  number: (expected: string, ok: (v: number) => boolean): FlagKind => ({ type: 'number', expected, ok: (t) => NUMBER.test(t.trim()) && ok(Number(t)) }),
  integer: (min: number, max: number): FlagKind => ({ type: 'integer', min, max, expected: `an integer from ${min} to ${max}`, ok: (t) => isInteger(t, min, max) }),
  choice: (values: readonly string[]): FlagKind => ({ type: 'choice', expected: values.join(', '), ok: (t) => values.includes(t) }),
  /** Comma-separated names, none empty. */
  list: (expected = 'comma-separated names'): FlagKind => ({ type: 'list', expected, ok: (t) => t.split(',').every((s) => s.trim() !== '') }),
  text: (expected: string): FlagKind => ({ type: 'text', expected, ok: (t) => t.trim() !== '' }),
  path: { type: 'path', expected: 'a file path', ok: (t: string) => t !== '' && !t.includes('\0') } as FlagKind,
  /** A value of its own form (`--hidden 100,25|none`, `--batch <n>|full`). */
  custom: (expected: string, ok: (text: string) => boolean): FlagKind => ({ type: 'custom', expected, ok }),
};

export interface Flag {
  /** `--name`. */
  name: string;
  /** What the value looks like in the help (`<n>`); absent for a switch. */
  value?: string;
  /** What the value must be; checked as the command line is parsed, before anything else. */
  kind: FlagKind;
  help: string;
}

export interface ParsedArgs {
  /** Each flag given, by name (without `--`): its value, or true for a switch. Later ones win. */
  flags: Map<string, string | true>;
  positional: string[];
}

/** A value or name shown in an error: quoted, and short whatever its length. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** Splits `argv` by the flag table and checks each value by its kind; `--` ends the flags. */
export function parseArgs(argv: readonly string[], table: readonly Flag[]): ParsedArgs {
  const byName = new Map(table.map((f) => [f.name, f]));
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) positional.push(rest);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    const flag = byName.get(name) ?? (arg === '-h' ? byName.get('help') : undefined);
    if (!flag) {
      const near = name.length <= 64 ? closest(name, [...byName.keys()]) : undefined;
      throw new UsageError(`unknown option ${quoted(eq > 0 ? arg.slice(0, eq) : arg)}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    if (flag.kind.type === 'switch') {
      if (eq > 0) throw new UsageError(`--${name} takes no value, got ${quoted(arg.slice(eq + 1))}`);
      flags.set(flag.name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name}: expected a value ${flag.value ?? ''}`.trimEnd());
    if (!flag.kind.ok(value)) throw new UsageError(`--${name}: expected ${flag.kind.expected}, got ${quoted(value)}`);
    flags.set(flag.name, value);
  }
  return { flags, positional };
}

/** The flag table as help lines. */
export function describeFlags(table: readonly Flag[]): string {
  const left = table.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}`);
  let width = 0;
  for (const l of left) width = Math.max(width, l.length + 2);
  return table.map((f, i) => `${left[i]!.padEnd(width)}${f.help}`).join('\n');
}

/** Reads typed values out of parsed flags (each value was checked by its flag's kind). */
export class FlagReader {
  constructor(private readonly parsed: ParsedArgs) {}

  has(name: string): boolean {
    return this.parsed.flags.has(name);
  }

  text(name: string): string | undefined {
    const v = this.parsed.flags.get(name);
    return v === true ? undefined : v;
  }

  number(name: string): number | undefined {
    const text = this.text(name);
    return text === undefined ? undefined : Number(text);
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.text(name);
    if (v !== undefined && !choices.includes(v as T)) throw new UsageError(`--${name}: expected ${choices.join(', ')}, got ${quoted(v)}`);
    return v as T | undefined;
  }

  /** A comma-separated list. */
  list(name: string): string[] | undefined {
    const v = this.text(name);
    return v === undefined ? undefined : v.split(',').map((s) => s.trim());
  }
}

/** A command's flags and files; undefined after printing `usage` for --help. */
export function commandArgs(argv: readonly string[], table: readonly Flag[], usage: string): { f: FlagReader; positional: string[] } | undefined {
  const parsed = parseArgs(argv, table);
  const f = new FlagReader(parsed);
  if (f.has('help')) {
    console.log(usage);
    return undefined;
  }
  return { f, positional: parsed.positional };
}
