/**
 * Time spent per stage of a run, for `KILN_TIMINGS=1` (the benchmark in bench/ reads it). Off unless
 * the CLI starts it; each stage's time excludes the stages nested in it, so the stages add up.
 */
let totals: Record<string, number> | undefined;
let current: string | undefined;
let since = 0;

/** Starts timing; what went before, from the process's start (loading Kiln's modules), is `start-up`. */
export function startTimings(): void {
  totals = { 'start-up': performance.now() };
  current = undefined;
}

/** Milliseconds per stage since `startTimings`, rounded to 0.1 ms. */
export function stageTimings(): Record<string, number> {
  return Object.fromEntries(Object.entries(totals ?? {}).map(([stage, ms]) => [stage, Math.round(ms * 10) / 10]));
}

/** Runs `work` as `stage` (a promise counts until it settles). */
export function stage<T>(name: string, work: () => T): T {
  if (totals === undefined) return work();
  const outer = switchTo(name);
  let result: T;
  try {
    result = work();
  } catch (error) {
    switchTo(outer);
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => switchTo(outer)) as T;
  switchTo(outer);
  return result;
}

/** Books the time so far to the current stage and makes `next` current; returns the one it left. */
function switchTo(next: string | undefined): string | undefined {
  const now = performance.now();
  const left = current;
  if (totals && left !== undefined) totals[left] = (totals[left] ?? 0) + now - since;
  current = next;
  since = now;
  return left;
}
