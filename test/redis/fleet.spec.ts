import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeWeirServer, type FakeWeirServerOptions } from '../../lib/testing/index.js';
import { busiestWindow } from '../support/busiest-window.js';
import { describeWithRedisServer, RedisServer } from '../support/redis-server.js';
import { buildFleetWorker, type FleetWorkerBuild } from './fleet/build-fleet-worker.js';
import { Fleet, type FleetInstance } from './fleet/fleet.js';
import type { FleetReply, FleetWorkerConfig } from './fleet/fleet-protocol.js';

// Each test boots its instances as processes (about a second each on two cores) inside the test.
jest.setTimeout(60_000);

const CLIENT_ID = 'fleet-client';
const SECRET_KEY = 'fleet-secret';

function tokensOf(replies: readonly FleetReply[]): string[] {
  return replies.map((reply) => (reply.ok ? reply.accessToken : `failed: ${reply.code}`));
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; says whether it held. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    if (condition()) return true;
  }
  return condition();
}

describeWithRedisServer('RedisTokenStore: a fleet of app instances in separate processes', () => {
  let build: FleetWorkerBuild;
  let redis: RedisServer;
  let weir: FakeWeirServer;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    [build, redis] = await Promise.all([buildFleetWorker(), RedisServer.start()]);
  });

  afterAll(async () => {
    await redis?.stop();
    await build?.dispose();
  });

  afterEach(async () => {
    await fleet?.killAll();
    fleet = undefined;
    await weir?.close();
    // A test that stops Redis must not leave the next one without it.
    await redis.restart();
  });

  /** A fresh Weir (so a fresh client scope in Redis) and `count` instances of an app using it. */
  async function startFleet(
    count: number,
    weirOptions: FakeWeirServerOptions = {},
    module: FleetWorkerConfig['module'] = {},
  ): Promise<Fleet> {
    weir = await FakeWeirServer.start({
      ...weirOptions,
      clientId: CLIENT_ID,
      secretKey: SECRET_KEY,
    });
    fleet = new Fleet(build.entry, {
      weirUrl: weir.url,
      redisUrl: redis.url,
      clientId: CLIENT_ID,
      secretKey: SECRET_KEY,
      module,
    });
    await fleet.start(count);
    return fleet;
  }

  it('10 instances cold-starting together make exactly 1 token request', async () => {
    const fleet = await startFleet(10, { latencyMs: 300 });

    const replies = await fleet.requestAll('token');

    expect(new Set(tokensOf(replies)).size).toBe(1);
    expect(replies.every((reply) => reply.ok)).toBe(true);
    expect(weir.tokenRequests).toBe(1);
  });

  it('refreshes ahead of expiry once for the whole fleet, not once per instance', async () => {
    // 6 s tokens refreshed in their last half: every instance's timer fires about 3 s in.
    const fleet = await startFleet(
      5,
      { expiresIn: 6, latencyMs: 100 },
      {
        keepFresh: true,
        refreshAheadRatio: 0.5,
      },
    );
    const [first] = tokensOf(await fleet.requestAll('token'));
    expect(weir.tokenRequests).toBe(1);

    expect(await eventually(() => weir.tokenRequests >= 2, 6_000)).toBe(true);
    await sleep(1_000);

    expect(weir.tokenRequests).toBe(2);
    const refreshed = tokensOf(await fleet.requestAll('token'));
    expect(new Set(refreshed).size).toBe(1);
    expect(refreshed[0]).not.toBe(first);
    expect(refreshed[0]).not.toMatch(/^failed/);
  });

  it('a restart storm: Weir sees at most 10 token requests in any 60 s across the fleet', async () => {
    const fleet = await startFleet(6);
    const replies: FleetReply[] = [];
    const stormEndsAt = Date.now() + 6_000;
    // Every instance keeps forcing refreshes (as after 401s); a killed one's questions die with it.
    const hammer = async (instance: FleetInstance) => {
      while (instance.alive && Date.now() < stormEndsAt) {
        const reply = await instance.request('refresh').catch(() => undefined);
        if (reply) replies.push(reply);
        await sleep(50);
      }
    };
    const hammering = fleet.instances.map(hammer);

    for (let wave = 0; wave < 2; wave++) {
      await sleep(1_500);
      const victims = fleet.alive.slice(0, 3);
      await Promise.all(victims.map((victim) => victim.kill()));
      hammering.push(...(await fleet.start(3)).map(hammer));
    }
    await Promise.all(hammering);

    const tokenRequestTimes = weir.requests
      .filter((request) => request.path === '/auth/token')
      .map((request) => request.receivedAt);
    expect(busiestWindow(tokenRequestTimes, 60_000)).toBeLessThanOrEqual(10);
    // Weir refused none of them: the fleet held itself back before Weir had to.
    expect(weir.issuedTokens).toBe(weir.tokenRequests);
    // The demand was far above the budget, and was answered from the shared token or refused locally.
    expect(replies.length).toBeGreaterThan(30);
    const codes = new Set(replies.map((reply) => (reply.ok ? 'ok' : reply.code)));
    expect([...codes].sort()).toEqual(['RATE_LIMIT_EXCEEDED', 'ok']);
  });

  it('a lock holder killed mid-fetch costs the fleet the lock TTL, then another instance fetches', async () => {
    // Lock TTL = requestTimeoutMs + 1 s = 3 s. Weir sits on the first request long enough to kill its sender.
    const fleet = await startFleet(4, { latencyMs: 20_000 }, { requestTimeoutMs: 2_000 });
    const [holder, ...others] = fleet.instances;
    void holder.request('token').catch(() => undefined);
    expect(await eventually(() => weir.tokenRequests === 1, 5_000)).toBe(true);
    const lockedAt = Date.now();
    weir.setLatency(0);

    await holder.kill();
    const replies = await Promise.all(others.map((instance) => instance.request('token')));

    const recoveredAfterMs = Date.now() - lockedAt;
    expect(new Set(tokensOf(replies)).size).toBe(1);
    expect(replies.every((reply) => reply.ok)).toBe(true);
    expect(weir.tokenRequests).toBe(2);
    expect(recoveredAfterMs).toBeGreaterThan(2_500);
    // Generous for a loaded machine, still far below the 20 s the dead holder's request would take.
    expect(recoveredAfterMs).toBeLessThan(3_000 + 7_000);
  });

  it('Redis stopped mid-run: every instance keeps serving tokens, then shares again after a restart', async () => {
    const fleet = await startFleet(4);
    expect(new Set(tokensOf(await fleet.requestAll('token'))).size).toBe(1);

    await redis.stop();
    const whileDown = await fleet.requestAll('refresh');
    const cachedWhileDown = await fleet.requestAll('token');

    expect(whileDown.every((reply) => reply.ok)).toBe(true);
    expect(cachedWhileDown.every((reply) => reply.ok)).toBe(true);
    // Never held much beyond the store bound (1 s) just because Redis is gone: the slack is for a
    // loaded machine; waiting out the lock (3 rounds of the TTL) or a reconnect would take far longer.
    expect(Math.max(...whileDown.map((reply) => reply.tookMs))).toBeLessThan(4_000);
    // Each instance fell back to a token of its own.
    expect(new Set(tokensOf(whileDown)).size).toBe(4);
    expect(weir.tokenRequests).toBe(1 + 4);

    await redis.restart();
    // The module leaves a failed store alone for 5 s before it asks again.
    await sleep(5_500);
    const afterRestart = await fleet.requestAll('refresh');

    expect(afterRestart.every((reply) => reply.ok)).toBe(true);
    expect(new Set(tokensOf(afterRestart)).size).toBe(1);
    expect(weir.tokenRequests).toBe(1 + 4 + 1);
    for (const instance of fleet.instances) {
      expect(instance.logged('Token store unavailable')).toHaveLength(1);
      expect(instance.logged('Token store reachable again')).toHaveLength(1);
    }
  });

  it('the raw Redis value is not a usable token, and keys do not name the client', async () => {
    const fleet = await startFleet(2);
    const [reply] = await fleet.requestAll('token');
    expect(reply.ok).toBe(true);
    const accessToken = reply.ok ? reply.accessToken : '';
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys('*');
      const tokenKey = keys.find((key) => key.endsWith(':token'));
      expect(tokenKey).toBeDefined();
      expect(keys.join(' ')).not.toContain(CLIENT_ID);
      const stored = (await raw.get(tokenKey!))!;
      expect(stored).not.toContain(accessToken);
      for (const part of accessToken.split('.')) expect(stored).not.toContain(part);

      const call = (bearer: string) =>
        fetch(`${weir.url}/v1/orders`, { headers: { authorization: `Bearer ${bearer}` } });
      expect((await call(stored)).status).toBe(401);
      expect((await call(accessToken)).status).toBe(200);
    } finally {
      raw.disconnect();
    }
  });
});
