import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import {
  REPORT_PREFIX,
  type AnchorChildPlan,
  type AnchorChildReport,
} from '../anchors/child-protocol.js';
import {
  CONTENDER_NAMES,
  loadContender,
  type AnchorTarget,
  type Contender,
  type ContenderName,
} from '../anchors/contender.js';
import { CountingProxy } from '../anchors/counting-proxy.js';
import { runBenchChild } from '../support/bench-child.js';
import { interleavedNsPerOp } from '../support/interleave.js';
import { exactly, row, type BenchRow, type Goal } from '../support/rows.js';
import { median } from '../support/stats.js';
import { CLIENT_ID, SECRET_KEY } from '../support/weir-app.js';

const HERD_CALLERS = 100;
/** Tokens live 1 h while cached lookups are timed, then 2 s: a run of 6.5 s crosses three expiries. */
const LONG_LIFETIME_S = 3600;
const SHORT_LIFETIME_S = 2;
const RUN_MS = 6_500;
const CONCURRENCY = 8;
/** Every answer of the fake, token or API, takes this long: a network, not a loopback. */
const LATENCY_MS = 20;
/** "Exits on its own within a few seconds"; FakeWeirServer drops idle sockets after 5 s anyway. */
const EXIT_LIMIT_MS = 3_000;

const EXITS: Goal = { text: `< ${EXIT_LIMIT_MS}`, test: (ms) => ms < EXIT_LIMIT_MS };

/**
 * Row 6: this package next to three popular OAuth2 clients, each used as its README shows, on one
 * FakeWeirServer (its standard /oauth2/token route for them, /auth/token for this package) behind
 * a proxy that counts 401s, with the same load. Goals apply to this package's rows only; the
 * others are there to compare.
 */
export async function anchorRows(): Promise<BenchRow[]> {
  const fake = await FakeWeirServer.start({
    rateLimits: [],
    expiresIn: LONG_LIFETIME_S,
    latencyMs: LATENCY_MS,
  });
  const proxy = await CountingProxy.start(fake.url);
  const target: AnchorTarget = { baseUrl: proxy.url, clientId: CLIENT_ID, secretKey: SECRET_KEY };
  try {
    const rows = await cachedCostRows(target);
    fake.setExpiresIn(SHORT_LIFETIME_S);
    for (const name of CONTENDER_NAMES) {
      fake.resetCounters();
      proxy.resetCounters();
      rows.push(...(await behaviourRows(name, target, fake, proxy)));
    }
    return rows;
  } finally {
    await proxy.close();
    await fake.close();
  }
}

const isWeir = (name: ContenderName) => name === 'nestjs-weir-auth';

/** Cached-token cost of all four in this process, side by side, against `async () => cached`. */
async function cachedCostRows(target: AnchorTarget): Promise<BenchRow[]> {
  const loops: Record<string, () => Promise<unknown>> = {};
  for (const name of CONTENDER_NAMES) {
    const contender: Contender = await (await loadContender(name))(target);
    await contender.token();
    loops[name] = () => contender.token();
  }
  const cached = 'token';
  loops.baseline = async () => cached;
  const times = await interleavedNsPerOp(loops, {
    iterations: 100_000,
    rounds: 15,
    warmupRounds: 3,
  });
  const baseline = times.baseline!;
  return CONTENDER_NAMES.map((name) => {
    const ns = median(times[name]!);
    const ratio = median(times[name]!.map((value, round) => value / baseline[round]!));
    return row(
      `anchors, ${name}: cached token lookup (${ns.toFixed(0)} ns/op)`,
      ratio,
      '× async () => cached',
      undefined,
      2,
    );
  });
}

/** Herd, expired tokens sent and clean exit of one contender, in a child process of its own. */
async function behaviourRows(
  name: ContenderName,
  target: AnchorTarget,
  fake: FakeWeirServer,
  proxy: CountingProxy,
): Promise<BenchRow[]> {
  const plan: AnchorChildPlan = {
    contender: name,
    target,
    herdCallers: HERD_CALLERS,
    runMs: RUN_MS,
    concurrency: CONCURRENCY,
  };
  const { report, exitAfterMs } = await runBenchChild<AnchorChildReport>(
    'anchors/child.ts',
    [JSON.stringify(plan)],
    { reportPrefix: REPORT_PREFIX, exitLimitMs: EXIT_LIMIT_MS },
  );
  const herdRequests = fake.requests.filter(
    (request) =>
      request.method === 'POST' &&
      (request.path === '/oauth2/token' || request.path === '/auth/token') &&
      request.receivedAt <= report.herdDoneAt,
  ).length;
  const goal = <T>(value: T) => (isWeir(name) ? value : undefined);
  const exitName = `anchors, ${name}: exits on its own after the work, nothing closed`;
  return [
    row(
      `anchors, ${name}: token requests for ${HERD_CALLERS} cold concurrent callers`,
      herdRequests,
      'requests',
      goal(exactly(1)),
    ),
    row(
      `anchors, ${name}: 401s at /v1/echo, expiresIn ${SHORT_LIFETIME_S} s, ${report.calls} calls (${report.failedForCaller} failed for the caller)`,
      proxy.unauthorized,
      '401s',
      goal(exactly(0)),
    ),
    exitAfterMs === undefined
      ? {
          name: `${exitName}: still running after ${EXIT_LIMIT_MS} ms, killed`,
          value: null,
          unit: 'ms',
          goal: goal(EXITS)?.text ?? null,
          met: isWeir(name) ? false : null,
        }
      : row(exitName, exitAfterMs, 'ms', goal(EXITS)),
  ];
}
