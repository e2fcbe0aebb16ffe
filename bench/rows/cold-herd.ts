import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { exactly, row, type BenchRow } from '../support/rows.js';
import { percentile } from '../support/stats.js';
import { startWeirApp } from '../support/weir-app.js';

/** A token endpoint a continent away: every caller of the herd is waiting while it answers. */
const TOKEN_LATENCY_MS = 50;

/**
 * Row 3: N callers ask a freshly started app for a token in the same tick. One token request
 * must serve them all; the waits show what the single flight costs each caller.
 */
export async function coldHerdRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await warmUp();
  for (const callers of [1_000, 10_000]) {
    const fake = await FakeWeirServer.start({ rateLimits: [], latencyMs: TOKEN_LATENCY_MS });
    const app = await startWeirApp({ baseUrl: fake.url });
    try {
      const { waitsMs, failed } = await herd(callers, () => app.tokens.getAccessToken());
      const name = `cold herd, ${callers.toLocaleString('en-US')} concurrent getAccessToken()`;
      rows.push(
        row(`${name}: token requests`, fake.tokenRequests, 'requests', exactly(1)),
        row(`${name}: callers failed`, failed, 'callers', exactly(0)),
        row(
          `${name}: wait p50 (token endpoint ${TOKEN_LATENCY_MS} ms)`,
          percentile(waitsMs, 50),
          'ms',
          undefined,
          1,
        ),
        row(`${name}: wait p99`, percentile(waitsMs, 99), 'ms', undefined, 1),
      );
    } finally {
      await app.close();
      await fake.close();
    }
  }
  return rows;
}

/**
 * A small herd on a throwaway app first: the first herd in a process would otherwise also pay for
 * compiling the code paths, and 1,000 callers would seem to wait longer than 10,000.
 */
async function warmUp(): Promise<void> {
  const fake = await FakeWeirServer.start({ rateLimits: [], latencyMs: TOKEN_LATENCY_MS });
  const app = await startWeirApp({ baseUrl: fake.url });
  try {
    await herd(100, () => app.tokens.getAccessToken());
  } finally {
    await app.close();
    await fake.close();
  }
}

/** Starts `callers` calls in one synchronous burst; resolves each one's wait and the failures. */
export async function herd(
  callers: number,
  call: () => Promise<unknown>,
): Promise<{ waitsMs: number[]; failed: number }> {
  const waitsMs: number[] = [];
  let failed = 0;
  const calls: Array<Promise<void>> = [];
  for (let i = 0; i < callers; i++) {
    const started = performance.now();
    calls.push(
      call().then(
        () => void waitsMs.push(performance.now() - started),
        () => void failed++,
      ),
    );
  }
  await Promise.all(calls);
  return { waitsMs, failed };
}
