import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { MEMORY_REPORT_PREFIX, type MemoryReport } from '../memory/memory-protocol.js';
import { runBenchChild } from '../support/bench-child.js';
import { below, exactly, row, type BenchRow } from '../support/rows.js';

/**
 * Row 7: heap growth over 1,000,000 cached `getAccessToken()` calls, and the handles still open
 * after `app.close()`, in a child process that holds nothing but the app.
 */
export async function memoryRows(): Promise<BenchRow[]> {
  const fake = await FakeWeirServer.start({ rateLimits: [] });
  try {
    const { report, exitAfterMs } = await runBenchChild<MemoryReport>(
      'memory/child.ts',
      [fake.url],
      { nodeArgs: ['--expose-gc'], reportPrefix: MEMORY_REPORT_PREFIX, exitLimitMs: 3_000 },
    );
    const open = report.leftOpen.length ? `: ${report.leftOpen.join(', ')}` : '';
    return [
      row(
        `heap growth after ${report.calls.toLocaleString('en-US')} cached getAccessToken() (gc before and after)`,
        report.heapGrowthBytes / 1024 / 1024,
        'MB',
        below(1),
        3,
      ),
      row(
        `handles left open after app.close()${open}`,
        report.leftOpen.length,
        'handles',
        exactly(0),
      ),
      exitAfterMs === undefined
        ? {
            name: 'process exits on its own after app.close(): still running after 3000 ms, killed',
            value: null,
            unit: 'ms',
            goal: '< 3000',
            met: false,
          }
        : row('process exits on its own after app.close()', exitAfterMs, 'ms', below(3_000)),
    ];
  } finally {
    await fake.close();
  }
}
