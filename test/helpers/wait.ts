// Waiting for real processes, sockets and threads without reading the clock: a condition is polled a
// number of times, so a slow machine waits longer instead of failing sooner, and no assertion is
// about how long anything took (timings belong in bench/).
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions { tries?: number; everyMs?: number }

/** Polls `probe` until it gives a value other than undefined/false (returned), or gives up (undefined). */
export async function poll<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, o: PollOptions = {}): Promise<T | undefined> {
  const tries = o.tries ?? 400, every = o.everyMs ?? 50;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch { /* not yet */ }
    await sleep(every);
  }
  return undefined;
}

/** As poll(), failing with `what` when it gives up. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, o: PollOptions = {}): Promise<T> {
  const v = await poll(probe, o);
  if (v === undefined) throw new Error(`gave up waiting for ${what}`);
  return v;
}

/** Poll options covering about `ms` of waiting in steps of `everyMs`. */
export const about = (ms: number, everyMs = 50): PollOptions => ({ tries: Math.max(1, Math.ceil(ms / everyMs)), everyMs });
