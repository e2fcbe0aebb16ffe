import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { ShiftedClock } from '../support/manual-clock.js';
import {
  compareLatencies,
  interleavedGets,
  type InterleavePlan,
} from '../support/paired-requests.js';
import { RemoteFakeWeirServer } from '../support/remote-fake-weir.js';
import { atMost, below, row, type BenchRow } from '../support/rows.js';
import { delay } from '../support/time.js';
import { startWeirApp } from '../support/weir-app.js';

const PLAN: InterleavePlan = { perRound: 600, rounds: 15, warmup: 200 };
const LIFETIME_S = 3600;
/** Long enough to outlast the measurement: the refresh stays in flight from start to end. */
const REFRESH_LATENCY_MS = 120_000;
const PATH = '/v1/echo';

/**
 * Row 2: `WeirHttpService` against `@nestjs/axios`'s plain `HttpService` carrying the same bearer
 * token, both on Node's keep-alive global agent, to one FakeWeirServer on loopback (in a process of
 * its own, as a remote API would be). Then the same while a background token refresh is held in
 * flight by the server. A second plain `HttpService`, built the same way, runs in the same rounds
 * as a control: its ratio to the first is what this machine cannot resolve.
 *
 * The plain services wrap `axios.create()` from the axios module WeirHttpService uses. Not
 * `HttpModule`'s: under this CommonJS require hook, the ESM-only @nestjs/axios imports axios's ESM
 * build, a second copy of axios in the process, about 3 % slower or faster depending on the run.
 */
export async function httpOverheadRows(): Promise<BenchRow[]> {
  const fake = await RemoteFakeWeirServer.start({ rateLimits: [], expiresIn: LIFETIME_S });
  const clock = new ShiftedClock();
  // The token request must not time out (default 10 s) while the server holds it.
  const app = await startWeirApp({
    baseUrl: fake.url,
    clock,
    requestTimeoutMs: REFRESH_LATENCY_MS * 2,
  });
  try {
    const token = await app.tokens.getAccessToken();
    // The plain services send the same valid token, so the server does the same work for all.
    const [plain, control] = [0, 1].map(() => {
      const http = new HttpService(axios.create({ baseURL: fake.url }));
      http.axiosRef.defaults.headers.common.Authorization = `Bearer ${token}`;
      return http;
    });
    const contenders = [app.weirHttp, plain!, control!];
    const steadyRounds = await interleavedGets(contenders, PATH, PLAN);

    // Into the refresh window (200 s before expiry; the window is the last 300 s), on the
    // service's clock only. The next call starts a refresh whose answer the server holds back;
    // the latency is restored for everything sent after it.
    await fake.setLatency(REFRESH_LATENCY_MS);
    clock.shiftMs = (LIFETIME_S - 200) * 1000;
    const before = await fake.tokenRequests();
    await app.tokens.getAccessToken();
    while ((await fake.tokenRequests()) === before) await delay(1);
    await fake.setLatency(0);
    const refreshRounds = await interleavedGets(contenders, PATH, PLAN);
    const stillInFlight =
      (await fake.tokenRequests()) === before + 1 && (await app.tokens.getAccessToken()) === token;
    if (!stillInFlight) throw new Error('the background refresh ended before the measurement did');

    const weirDuringRefresh = refreshRounds.flatMap((round) => round[0]!);
    const steady = compareLatencies(steadyRounds, 0, 1);
    const steadyControl = compareLatencies(steadyRounds, 2, 1);
    const refreshing = compareLatencies(refreshRounds, 0, 1);
    const refreshingControl = compareLatencies(refreshRounds, 2, 1);
    const name = 'WeirHttpService GET / HttpService GET';
    const controlName = 'control: 2nd HttpService GET / HttpService GET';
    const during = ', 1 refresh in flight';
    return [
      row(`HttpService GET ${PATH} (keep-alive, loopback), median`, steady.medianMs.b * 1000, 'µs'),
      row(`WeirHttpService GET ${PATH}, median`, steady.medianMs.a * 1000, 'µs'),
      row(`${name}, median`, steady.medianRatio, '×', atMost(1.03), 3),
      row(`${controlName}, median`, steadyControl.medianRatio, '×', undefined, 3),
      row(`${name}, p99`, steady.p99Ratio, '×', undefined, 3),
      row(`${controlName}, p99`, steadyControl.p99Ratio, '×', undefined, 3),
      row(`${name}${during}, median`, refreshing.medianRatio, '×', undefined, 3),
      row(`${name}${during}, p99`, refreshing.p99Ratio, '×', atMost(1.1), 3),
      row(`${controlName}${during}, p99`, refreshingControl.p99Ratio, '×', undefined, 3),
      // Noise cannot hide a caller that waited: the held refresh would have taken it 120 s.
      row(
        `WeirHttpService GET${during}: slowest of ${weirDuringRefresh.length.toLocaleString('en-US')}`,
        Math.max(...weirDuringRefresh),
        'ms',
        below(REFRESH_LATENCY_MS),
        1,
      ),
    ];
  } finally {
    await app.close();
    await fake.close();
  }
}
