// What a documentation sample's `console.log(…); // → text` claims, checked when the sample runs
// (test/node/doc-samples.test.ts rewrites such a line into expectShown(text, …values)). The
// claim is the text after the arrow up to the first ": " (the rest explains it); its numbers,
// 'quoted strings', true and false must be the values logged, in order: a number to the digits
// it is written with (half a unit of its last place, or 1e-4 of it, whichever is larger).
// Runs in Node and in the browser.

type Token = number | string | boolean;

const TOKEN = /'[^']*'|-?\d+(?:\.\d+)?(?:e-?\d+)?|\btrue\b|\bfalse\b/g;

/** The values of a claim's text, in order. */
export function claimTokens(claim: string): { token: Token; text: string }[] {
  const head = claim.split(': ')[0]!;
  return Array.from(head.matchAll(TOKEN), ([t]) => ({
    text: t,
    token: t.startsWith("'") ? t.slice(1, -1) : t === 'true' ? true : t === 'false' ? false : Number(t),
  }));
}

/** What console.log showed, flattened: numbers, strings and booleans of arrays and typed arrays. */
export function loggedTokens(values: readonly unknown[]): Token[] {
  const out: Token[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out.push(v);
    else if (Array.isArray(v) || ArrayBuffer.isView(v)) for (const e of Array.from(v as ArrayLike<unknown>)) walk(e);
    else throw new Error(`a checked sample logged ${Object.prototype.toString.call(v)}; log numbers, strings, booleans or arrays of them`);
  };
  for (const v of values) walk(v);
  return out;
}

function close(claimed: number, text: string, got: number): boolean {
  const decimals = text.includes('.') ? text.split('.')[1]!.replace(/e.*/, '').length : 0;
  return Math.abs(got - claimed) <= Math.max(0.5 * 10 ** -decimals * 1.001, 1e-4 * Math.abs(claimed));
}

/** Throws unless `values` are what `claim` says; `where` names the sample's line. */
export function expectShown(where: string, claim: string, ...values: unknown[]): void {
  const want = claimTokens(claim);
  const got = loggedTokens(values);
  const ok = want.length === got.length && want.every((w, i) => (typeof w.token === 'number' && typeof got[i] === 'number' ? close(w.token, w.text, got[i]) : w.token === got[i]));
  if (!ok) throw new Error(`${where}: the sample says → ${claim.split(': ')[0]} but logged ${JSON.stringify(got)}`);
}
