import type { AnchorTarget, ContenderName } from './contender.js';

/** What the parent tells an anchor child (as one JSON argument). */
export interface AnchorChildPlan {
  readonly contender: ContenderName;
  readonly target: AnchorTarget;
  /** Cold callers of `echo()` started in one tick. */
  readonly herdCallers: number;
  /** How long to keep calling `echo()` after the herd, across several token expiries. */
  readonly runMs: number;
  /** Callers calling `echo()` in a loop during the run. */
  readonly concurrency: number;
}

/** The child's one line of output, printed when its work is done (it then must exit on its own). */
export interface AnchorChildReport {
  /** `Date.now()` when every herd call had its answer: token requests before it were the herd's. */
  readonly herdDoneAt: number;
  readonly calls: number;
  /** Calls whose caller saw something other than 200. */
  readonly failedForCaller: number;
  /** `process.getActiveResourcesInfo()` right after the work: what may keep the process alive. */
  readonly openResources: readonly string[];
}

export const REPORT_PREFIX = 'ANCHOR-REPORT ';
