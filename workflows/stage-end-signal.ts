// What the interpreter's main loop waits on between launches: the next end of any stage. One
// promise per wait, where a Promise.race over the running stages makes one per running stage each
// time round the loop (quadratic in a wide plan, and every promise in a workflow captures a stack).

export class StageEndSignal {
  private wake: (() => void) | undefined;

  /** Resolves at the next `notify()`. An end before this call is not remembered: by then the loop has seen it. */
  next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** A stage has ended (its state is final and it has left the in-flight set). */
  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
