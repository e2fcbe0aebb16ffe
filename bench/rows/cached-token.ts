import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { compare, interleavedNsPerOp } from '../support/interleave.js';
import { atMost, row, type BenchRow } from '../support/rows.js';
import { startWeirApp } from '../support/weir-app.js';

/**
 * Row 1: what a cached `getAccessToken()` costs, against the cheapest possible cached getter, an
 * `async () => cached`, in the same process and the same rounds.
 */
export async function cachedTokenRows(): Promise<BenchRow[]> {
  const fake = await FakeWeirServer.start({ rateLimits: [] });
  const app = await startWeirApp({ baseUrl: fake.url });
  try {
    const cached = await app.tokens.getAccessToken();
    const { tokens } = app;
    const times = await interleavedNsPerOp(
      {
        weir: () => tokens.getAccessToken(),
        baseline: async () => cached,
      },
      { iterations: 200_000, rounds: 21, warmupRounds: 4 },
    );
    const { a, b, ratio } = compare(times.weir, times.baseline);
    return [
      row('cached getAccessToken()', a, 'ns/op', undefined, 1),
      row('baseline: async () => cached', b, 'ns/op', undefined, 1),
      row('cached getAccessToken() / baseline', ratio, '×', atMost(2), 2),
    ];
  } finally {
    await app.close();
    await fake.close();
  }
}
