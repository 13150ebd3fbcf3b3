// Command-line arguments as every command reads them: `--name value`, `--name=value`, bare
// switches (`--digits`), and positional arguments (files). Each command declares its flags in a
// table; a flag not in it, a value missing, or a value out of range is a UsageError that names
// the flag and what was expected (with the closest flag for a misspelling).

import { closest } from '../src/spelling.js';

/** A command line that cannot be run: the message says which option and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Flag {
  /** `--name`. */
  name: string;
  /** What the value looks like in the help (`<n>`); absent for a switch. */
  value?: string;
  help: string;
}

export interface ParsedArgs {
  /** Each flag given, by name (without `--`): its value, or true for a switch. Later ones win. */
  flags: Map<string, string | true>;
  positional: string[];
}

/** Splits `argv` by the flag table; `--` ends the flags. */
export function parseArgs(argv: readonly string[], table: readonly Flag[]): ParsedArgs {
  const byName = new Map(table.map((f) => [f.name, f]));
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
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
      const near = closest(name, [...byName.keys()]);
      throw new UsageError(`unknown option ${eq > 0 ? arg.slice(0, eq) : arg}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    if (flag.value === undefined) {
      if (eq > 0) throw new UsageError(`--${name} takes no value, got "${arg.slice(eq + 1)}"`);
      flags.set(flag.name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name}: expected a value ${flag.value}`);
    flags.set(flag.name, value);
  }
  return { flags, positional };
}

/** The flag table as help lines. */
export function describeFlags(table: readonly Flag[]): string {
  const left = table.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return table.map((f, i) => `${left[i]!.padEnd(width)}${f.help}`).join('\n');
}

/** Reads typed values out of parsed flags, each checked with a message naming the flag. */
export class FlagReader {
  constructor(private readonly parsed: ParsedArgs) {}

  has(name: string): boolean {
    return this.parsed.flags.has(name);
  }

  text(name: string): string | undefined {
    const v = this.parsed.flags.get(name);
    if (v === true) return undefined;
    if (v !== undefined && v.trim() === '') throw new UsageError(`--${name}: expected a value, got ""`);
    return v;
  }

  number(name: string, ok: (v: number) => boolean, expected: string): number | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) || !ok(v)) throw new UsageError(`--${name}: expected ${expected}, got "${text}"`);
    return v;
  }

  integer(name: string, min: number, max: number): number | undefined {
    return this.number(name, (v) => Number.isInteger(v) && v >= min && v <= max, `an integer from ${min} to ${max}`);
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.text(name);
    if (v !== undefined && !choices.includes(v as T)) throw new UsageError(`--${name}: expected ${choices.join(', ')}, got "${v}"`);
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
