import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { firstValueFrom } from 'rxjs';
import { ManualClock } from '../support/manual-clock.js';
import { exactly, row, type BenchRow, type Goal } from '../support/rows.js';
import { delay } from '../support/time.js';
import { startWeirApp } from '../support/weir-app.js';

const LIFETIME_S = 3600;
const DAY_MS = 24 * 3_600_000;
/** Simulated time per step; the refresh window (300 s) spans 15 of them. */
const STEP_MS = 20_000;
/** Steady load: token lookups per step (one every 4 s), and one API call per simulated minute. */
const CALLS_PER_STEP = 5;
const STEPS_PER_API_CALL = 3;
/** The default refresh window for this lifetime: min(300 s, 10 % of 3600 s). */
const REFRESH_AHEAD_S = 300;
/**
 * One token request per token lifetime, where a token is renewed REFRESH_AHEAD_S before it dies
 * so that no caller ever waits: one request every 3,300 s, 27 in a day (24 if tokens were used to
 * the last second, which is what makes callers wait at each expiry).
 */
const USABLE_LIFETIME_MS = (LIFETIME_S - REFRESH_AHEAD_S) * 1000;
const ONE_PER_LIFETIME: Goal = {
  text: `≤ ${Math.ceil(DAY_MS / USABLE_LIFETIME_MS)} (1 per lifetime, renewed ${REFRESH_AHEAD_S} s ahead)`,
  test: (requests) => requests <= Math.ceil(DAY_MS / USABLE_LIFETIME_MS),
};

/**
 * Row 4: a day of steady load on an injected clock. FakeWeirServer reads the same clock, so tokens
 * expire on simulated time, while token requests and API calls are real HTTP on loopback.
 */
export async function simulatedDayRows(): Promise<BenchRow[]> {
  const clock = new ManualClock();
  // The vendor's own rate limits stay on: a day of refreshes must fit in them.
  const fake = await FakeWeirServer.start({ expiresIn: LIFETIME_S, now: () => clock.wallNow() });
  const app = await startWeirApp({ baseUrl: fake.url, clock });
  let apiCalls = 0;
  let unauthorized = 0;
  try {
    for (let step = 0; step * STEP_MS < DAY_MS; step++) {
      for (let i = 0; i < CALLS_PER_STEP; i++) await app.tokens.getAccessToken();
      if (step % STEPS_PER_API_CALL === 0) {
        apiCalls++;
        const response = await firstValueFrom(
          app.weirHttp.get('/v1/echo', { validateStatus: () => true }),
        );
        if (response.status === 401) unauthorized++;
      }
      // Real time for a background refresh to cross loopback; it spans a step or two at most.
      await delay(1);
      clock.advance(STEP_MS);
    }
  } finally {
    await app.close();
    await fake.close();
  }

  const perHour = new Array<number>(24).fill(0);
  const epoch = clock.wallNow() - clock.now();
  for (const request of fake.requests) {
    if (request.method !== 'POST' || request.path !== '/auth/token') continue;
    const hour = Math.floor((request.receivedAt - epoch) / 3_600_000);
    if (hour < 24) perHour[hour]!++;
  }
  const total = perHour.reduce((sum, count) => sum + count, 0);
  const lookups = (CALLS_PER_STEP * DAY_MS) / STEP_MS;
  const name = `simulated day, expiresIn ${LIFETIME_S} s, ${lookups.toLocaleString('en-US')} lookups + ${apiCalls.toLocaleString('en-US')} API calls`;
  return [
    row(`${name}: token requests in 24 h`, total, 'requests', ONE_PER_LIFETIME),
    row(`${name}: token requests, busiest hour`, Math.max(...perHour), 'requests/h'),
    row(`${name}: token requests, mean per hour`, total / 24, 'requests/h', undefined, 2),
    row(`${name}: API calls answered 401`, unauthorized, 'calls', exactly(0)),
  ];
}
