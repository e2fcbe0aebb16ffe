import { WeirAuthError, WeirAuthErrorCode } from 'nestjs-weir-auth';
import {
  CLIENT_ID,
  rejectionOf,
  settledWithin,
  sleep,
  startWeirKit,
  useCoreSuite,
  waitFor,
} from './support/weir-test-kit.js';

useCoreSuite();

/** Handles that keep the process alive (unref'd timers and sockets are not listed), by type. */
function liveResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo())
    counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Types of which more handles are alive now than in `baseline`. */
function resourcesAbove(baseline: Map<string, number>, types: readonly string[]): string[] {
  const now = liveResources();
  return types.filter((type) => (now.get(type) ?? 0) > (baseline.get(type) ?? 0));
}

const WATCHED = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap', 'Immediate'];

describe('shutdown', () => {
  it('leaves no timer or socket alive after app.close()', async () => {
    const baseline = liveResources();
    const kit = await startWeirKit({ auth: { keepFresh: true } });
    await waitFor(() => kit.obtained.length === 1, 'the start-up token');
    // A failing background refresh leaves a retry timer behind, too.
    kit.server.fail({ kind: 'status', status: 503 }, { times: Infinity });
    kit.clock.advance(3_400_000);
    await kit.tokens.getAccessToken();
    await waitFor(() => kit.tokens.getStatus().consecutiveFailures === 1, 'the failed refresh');

    // While running, the refresh and retry timers do not hold the event loop either.
    expect(resourcesAbove(baseline, ['Timeout'])).toEqual([]);

    await kit.close();
    await waitFor(() => resourcesAbove(baseline, WATCHED).length === 0, 'handles to close');
  });

  it('aborts a token request under way: the caller gets an error at once, the socket is closed', async () => {
    const baseline = liveResources();
    const kit = await startWeirKit({ auth: { requestTimeoutMs: 20_000 } });
    kit.server.fail({ kind: 'hang' }, { times: Infinity });
    const pending = rejectionOf(kit.tokens.getAccessToken());
    await waitFor(() => kit.server.tokenRequests === 1, 'the request to arrive');

    expect(await settledWithin(kit.app.close(), 2_000)).not.toBe('pending');

    const error = await settledWithin(pending, 2_000);
    expect(error).toBeInstanceOf(WeirAuthError);
    expect(error).toMatchObject({ code: WeirAuthErrorCode.NETWORK_ERROR });
    expect(kit.server.tokenRequests).toBe(1);
    // Only the still-running fake server's listening socket remains.
    await waitFor(
      () => resourcesAbove(baseline, ['TCPSocketWrap', 'Timeout']).length === 0,
      'the aborted socket to close',
    );
  });

  it('sends no retry once shutdown has begun', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      const kit = await startWeirKit({
        auth: {
          requestTimeoutMs: 1_500,
          retry: { attempts: 3, baseDelayMs: 300, maxDelayMs: 300 },
        },
      });
      kit.server.fail({ kind: 'status', status: 503 });
      kit.server.fail({ kind: 'hang' }, { times: Infinity });
      const pending = rejectionOf(kit.tokens.getAccessToken());
      // The first attempt failed: the service now sleeps ~300 ms before the next one.
      await waitFor(() => kit.logger.lines('warn').length === 1, 'the first failure');

      expect(await settledWithin(kit.app.close(), 1_000)).not.toBe('pending');

      expect(await settledWithin(pending, 1_000)).toBeInstanceOf(WeirAuthError);
      await sleep(400);
      expect(kit.server.tokenRequests).toBe(1);
    } finally {
      random.mockRestore();
    }
  });

  it('does not keep app.close() waiting for the rate budget (maxRateLimitWaitMs)', async () => {
    const kit = await startWeirKit({
      auth: { rateLimits: [{ limit: 1, windowMs: 60_000 }], maxRateLimitWaitMs: 60_000 },
    });
    await kit.tokens.getAccessToken();
    kit.tokens.invalidate();
    const pending = rejectionOf(kit.tokens.getAccessToken());
    await sleep(20);

    expect(await settledWithin(kit.app.close(), 2_000)).not.toBe('pending');

    expect(await settledWithin(pending, 1_000)).toBeInstanceOf(WeirAuthError);
    expect(kit.server.tokenRequests).toBe(1);
  });

  it('clears the keepFresh timer: nothing is sent after close', async () => {
    // A 0.5 s token: without the close, its refresh would be sent 450 ms after the first request.
    const kit = await startWeirKit({ auth: { keepFresh: true }, server: { expiresIn: 0.5 } });
    await waitFor(() => kit.obtained.length === 1, 'the start-up token');
    let completed = false;
    kit.tokens.tokenChanges$.subscribe({ complete: () => (completed = true) });

    await kit.app.close();
    kit.clock.advance(450);
    await sleep(600);

    expect(kit.server.tokenRequests).toBe(1);
    expect(completed).toBe(true);
  });

  it('a failing background refresh at start-up rejects nothing unhandled', async () => {
    const kit = await startWeirKit({
      auth: { keepFresh: true },
      server: { clientId: `${CLIENT_ID}-other` },
    });
    await waitFor(() => kit.tokens.getStatus().consecutiveFailures === 1, 'the start-up failure');
    expect(kit.tokens.getStatus().lastError).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(kit.logger.lines('warn')).toHaveLength(1);
    // Jest fails this test if any rejection went unhandled (see useCoreSuite).
  });

  it('closing twice is harmless', async () => {
    const kit = await startWeirKit();
    await kit.tokens.getAccessToken();
    await kit.app.close();
    await expect(kit.app.close()).resolves.toBeUndefined();
  });
});
