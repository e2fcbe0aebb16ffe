import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { RedisTokenStore } from 'nestjs-weir-auth/redis';
import { hasRedisServer, RedisServer } from '../../test/support/redis-server-process.js';
import { exactly, notMeasured, row, type BenchRow } from '../support/rows.js';
import { delay, waitFor } from '../support/time.js';
import { startWeirApp, type WeirBenchApp } from '../support/weir-app.js';

const FLEET_SIZES = [1, 5, 20] as const;
/** Short-lived tokens, so that a few renewals fit in seconds of real time (Redis runs on it). */
const LIFETIME_S = 2;
const RENEWALS = 3;
const CALLERS_PER_INSTANCE_AT_START = 10;
/** Each instance looks up its token this often while the fleet runs. */
const LOAD_INTERVAL_MS = 5;
const TOKEN_LATENCY_MS = 20;

interface FleetResult {
  readonly coldRequests: number;
  readonly requestsPerRenewal: number;
}

/**
 * Row 5: N app instances sharing one client, with and without RedisTokenStore. Instances are N Nest
 * application contexts in this process, each with its own ioredis client and store, as N pods
 * would have. Counted: token requests at a cold start of all of them together, and token requests
 * per token lifetime while each instance keeps asking for the token.
 */
export async function redisFleetRows(): Promise<BenchRow[]> {
  // Without redis-server the shared rows are skipped (met null); the unshared ones still run.
  const redis = hasRedisServer() ? await RedisServer.start() : undefined;
  const rows: BenchRow[] = [];
  try {
    for (const size of FLEET_SIZES) {
      const apps = `fleet of ${size} Nest app${size === 1 ? '' : 's'} in 1 process`;
      const sharedName = `${apps}, each its own ioredis client + RedisTokenStore`;
      if (redis) {
        const shared = await runFleet(size, redis.port);
        rows.push(
          row(
            `${sharedName}: token requests at cold start`,
            shared.coldRequests,
            'requests',
            exactly(1),
          ),
          row(
            `${sharedName}: token requests per token lifetime`,
            shared.requestsPerRenewal,
            'requests',
            exactly(1),
            2,
          ),
        );
      } else {
        const why = 'skipped: no redis-server';
        rows.push(
          notMeasured(`${sharedName}: token requests at cold start`, 'requests', why, exactly(1)),
          notMeasured(
            `${sharedName}: token requests per token lifetime`,
            'requests',
            why,
            exactly(1),
          ),
        );
      }
      const alone = await runFleet(size, undefined);
      const aloneName = `${apps}, in-memory store (no sharing)`;
      rows.push(
        row(`${aloneName}: token requests at cold start`, alone.coldRequests, 'requests'),
        row(
          `${aloneName}: token requests per token lifetime`,
          alone.requestsPerRenewal,
          'requests',
          undefined,
          2,
        ),
      );
    }
  } finally {
    await redis?.stop();
  }
  return rows;
}

/** One fleet of `size` instances; with `redisPort`, sharing a RedisTokenStore namespace. */
async function runFleet(size: number, redisPort: number | undefined): Promise<FleetResult> {
  const fake = await FakeWeirServer.start({
    rateLimits: [],
    expiresIn: LIFETIME_S,
    latencyMs: TOKEN_LATENCY_MS,
  });
  // A namespace per fleet: no fleet finds the token or the budget of the one before.
  const keyPrefix = `bench-${randomBytes(4).toString('hex')}:`;
  const clients: Redis[] = [];
  const apps: WeirBenchApp[] = [];
  let running = true;
  try {
    for (let i = 0; i < size; i++) {
      let store: RedisTokenStore | undefined;
      if (redisPort !== undefined) {
        // The settings the README recommends: fail fast rather than queue during an outage.
        const client = new Redis({ host: '127.0.0.1', port: redisPort, commandTimeout: 500 });
        clients.push(client);
        store = new RedisTokenStore(client, { keyPrefix });
      }
      apps.push(await startWeirApp({ baseUrl: fake.url, ...(store && { store }) }));
    }

    await Promise.all(
      apps.flatMap((app) =>
        Array.from({ length: CALLERS_PER_INSTANCE_AT_START }, () => app.tokens.getAccessToken()),
      ),
    );
    const coldRequests = fake.tokenRequests;

    // Each instance counts the new tokens it adopts: one per renewal of the fleet's token.
    const seen = apps.map(() => 0);
    const subscriptions = apps.map((app, i) =>
      app.tokens.tokenChanges$.subscribe(() => void seen[i]!++),
    );
    const load = apps.map(async (app) => {
      while (running) {
        await app.tokens.getAccessToken();
        await delay(LOAD_INTERVAL_MS);
      }
    });
    await waitFor(
      `${RENEWALS} renewals in every instance`,
      () => seen.every((count) => count >= RENEWALS),
      (RENEWALS + 2) * LIFETIME_S * 1000,
      10,
    );
    running = false;
    await Promise.all(load);
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    return { coldRequests, requestsPerRenewal: (fake.tokenRequests - coldRequests) / RENEWALS };
  } finally {
    running = false;
    for (const app of apps) await app.close();
    await Promise.all(clients.map((client) => client.quit()));
    await fake.close();
  }
}
