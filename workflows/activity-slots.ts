// A cap on the activities one run has scheduled at a time. Temporal refuses a workflow task that
// would leave more than 2,000 activities pending (the server's default
// limit.numPendingActivities), and refuses it again on every retry of the task: without a cap, a
// fan-out over thousands of items with no `concurrency` never gets past its first workflow task.
import { patched } from '@temporalio/workflow';
import { PATCHES } from './patches';

/**
 * A quarter of Temporal's default limit: room for a cluster configured lower, and workflow tasks
 * that stay short (at 1,000 in flight, tasks of a 14,600-item fan-out timed out and were retried).
 */
export const MAX_ACTIVITIES_IN_FLIGHT = 500;

export class ActivitySlots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  private head = 0;
  private capped: boolean | undefined;

  constructor(private readonly max = MAX_ACTIVITIES_IN_FLIGHT) {}

  /**
   * Takes a slot. Returns undefined when one was free: no await, so runs that stay under the cap
   * send their commands in the same order as before the cap existed. Otherwise a promise that
   * resolves when a slot passes to this caller.
   */
  take(): Promise<void> | undefined {
    if (this.used < this.max) {
      this.used++;
      return undefined;
    }
    // Only runs that reach the cap meet the patch marker; runs recorded before it replay uncapped.
    this.capped ??= patched(PATCHES.activitySlots);
    if (!this.capped) {
      this.used++;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back, straight to the longest waiter if there is one. */
  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = noop;
      if (this.head === this.waiting.length) {
        this.waiting.length = 0;
        this.head = 0;
      }
      next();
      return;
    }
    this.used--;
  }
}

const noop = (): void => undefined;
