// The progress line's speed and time left, measured from the end of the first epoch reported:
// a fit's first epoch carries its set-up (the upload, the pipelines), which would otherwise make
// the estimate of a long run too slow for its whole first part.

/** A function of the epochs done that gives examples per second and the seconds left. */
export function paceMeter(examplesPerEpoch: number, epochs: number, now: () => number = () => performance.now()): (done: number) => { examplesPerSecond: number; secondsLeft: number } {
  const start = now();
  let first: { t: number; done: number } | undefined;
  return (done) => {
    const t = now();
    first ??= { t, done };
    const since = done - first.done;
    // Until a second report, the whole time so far (set-up included) is all there is to go by.
    const perEpoch = since > 0 ? (t - first.t) / 1000 / since : (t - start) / 1000 / Math.max(1, done);
    return { examplesPerSecond: perEpoch > 0 ? examplesPerEpoch / perEpoch : 0, secondsLeft: perEpoch * (epochs - done) };
  };
}
