/** The memory child's one line of output. */
export interface MemoryReport {
  readonly calls: number;
  readonly heapGrowthBytes: number;
  /** Resources active after `app.close()` that were not active before the app started. */
  readonly leftOpen: readonly string[];
}

export const MEMORY_REPORT_PREFIX = 'MEMORY-REPORT ';
