// Row 7 in a process of its own (node --expose-gc): only the app under test lives here, while
// FakeWeirServer runs in the parent, so every handle seen here after app.close() is the app's.
import 'reflect-metadata';
import { firstValueFrom } from 'rxjs';
import { startWeirApp } from '../support/weir-app.js';
import { MEMORY_REPORT_PREFIX, type MemoryReport } from './memory-protocol.js';

const CALLS = 1_000_000;

async function main(): Promise<void> {
  const gc = global.gc;
  if (!gc) throw new Error('run with --expose-gc');
  const baseUrl = process.argv[2]!;
  const before = process.getActiveResourcesInfo();

  const app = await startWeirApp({ baseUrl });
  // Real traffic first, so sockets, timers and the interceptor exist when the app is closed.
  for (let i = 0; i < 20; i++) await firstValueFrom(app.weirHttp.get('/v1/echo'));
  for (let i = 0; i < 10_000; i++) await app.tokens.getAccessToken();

  settle(gc);
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < CALLS; i++) await app.tokens.getAccessToken();
  settle(gc);
  const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;

  await app.close();
  const report: MemoryReport = {
    calls: CALLS,
    heapGrowthBytes,
    leftOpen: without(process.getActiveResourcesInfo(), before),
  };
  process.stdout.write(`${MEMORY_REPORT_PREFIX}${JSON.stringify(report)}\n`);
}

/** Full collections until the heap stops shrinking: one gc() may leave finalizable garbage. */
function settle(gc: () => void): void {
  let last = Infinity;
  for (let i = 0; i < 5; i++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last) return;
    last = used;
  }
}

/** `after` minus `before`, as multisets: two sockets before and three after leave one. */
function without(after: readonly string[], before: readonly string[]): string[] {
  const left = [...before];
  return after.filter((resource) => {
    const index = left.indexOf(resource);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
