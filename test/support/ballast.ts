// A setup file for proving the suite does not depend on the process tree: every test worker
// holds 1 GiB it has touched, so a measurement that takes in its parent's memory (as ru_maxrss
// does across fork + exec) fails. Used by test/support/ballast.config.ts, never by npm test.

const ballast = new Uint8Array(1 << 30).fill(1);
(globalThis as { __ballast?: Uint8Array }).__ballast = ballast;
