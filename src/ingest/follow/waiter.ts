/** Cancellable sleeps: a poll sleep ends early on a change hint (fs.watch), every sleep ends on close. */

interface Sleeper { done: () => void; hintable: boolean }

export class Waiter {
  private readonly sleepers = new Set<Sleeper>();

  /** Sleeps `ms`, or less when woken (`hintable`: also by a change hint). */
  sleep(ms: number, hintable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const s: Sleeper = {
        hintable,
        done: () => {
          clearTimeout(timer);
          this.sleepers.delete(s);
          resolve();
        },
      };
      const timer = setTimeout(s.done, ms);
      this.sleepers.add(s);
    });
  }

  /** Ends the sleeps a hint may end (`hint`), or every sleep. */
  wake(hint: boolean): void {
    for (const s of [...this.sleepers]) if (!hint || s.hintable) s.done();
  }
}
