// The documentation's lists of activations name every entry of the registry (src/activations.ts).
// Each of README.md, docs/api.md, docs/guide.md and shaders/README.md lists them; a list is a
// paragraph (or table row, or code block) that names both `relu` and `identity`. Adding an
// activation without adding it to each list fails here, naming the file and the name.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES } from '../../src/activations.js';

const LISTS = ['README.md', 'docs/api.md', 'docs/guide.md', 'shaders/README.md'];

/** The file's paragraphs (blank-line separated) and table rows that list activations. */
function lists(text: string): string[] {
  const parts = text.split(/\n\s*\n/).flatMap((p) => (p.trimStart().startsWith('|') ? p.split('\n') : [p]));
  const named = (part: string, name: string) => new RegExp(`\\b${name}\\b`, 'i').test(part);
  return parts.filter((p) => named(p, 'relu') && named(p, 'identity'));
}

describe('documentation lists of activations', () => {
  for (const file of LISTS) {
    it(`${file} lists every registered activation (${ACTIVATION_NAMES.join(', ')})`, () => {
      const found = lists(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
      expect(found.length, `${file} has no list of activations (a paragraph naming relu and identity)`).toBeGreaterThan(0);
      for (const list of found) {
        const missing = ACTIVATION_NAMES.filter((name) => !new RegExp(`\\b${name}\\b`, 'i').test(list));
        expect(missing, `${file}: a list of activations misses ${missing.join(', ')}: «${list.slice(0, 120)}…»`).toEqual([]);
      }
    });
  }

  it('the check finds a forgotten name: a list without mish fails it', () => {
    const [list] = lists('Hidden units: sigmoid, tanh, relu, identity, softplus, elu, swish, gelu and gelu_tanh.');
    expect(ACTIVATION_NAMES.filter((name) => !new RegExp(`\\b${name}\\b`, 'i').test(list!))).toEqual(['mish']);
  });
});
