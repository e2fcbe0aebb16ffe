import { WeirAuthError, WeirTokenService, type WeirAuthModuleOptions } from 'nestjs-weir-auth';
import { inspect } from 'node:util';
import { WEIR_AUTH_RESOLVED_OPTIONS } from '../../lib/weir-auth.constants.js';
import { WEIR_AUTH_MODULE_OPTIONS } from '../../lib/weir-auth.module-definition.js';
import {
  CLIENT_ID,
  expectNoSecret,
  rejectionOf,
  SECRET_KEY,
  startWeirKit,
  useCoreSuite,
  type WeirKit,
} from './support/weir-test-kit.js';

useCoreSuite();

/** Every way an object ends up printed: console/inspect (deep), JSON, String, and its stack. */
function printed(value: unknown): string {
  const forms = [
    inspect(value, { depth: Infinity, showHidden: false }),
    inspect(value, { depth: Infinity, getters: true }),
    safeJson(value),
    String(value),
  ];
  if (value instanceof Error) forms.push(value.message, value.stack ?? '');
  return forms.join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `JSON failed: ${(error as Error).message}`;
  }
}

/** Drives the service through every outcome the endpoint can give, collecting the errors. */
async function everyOutcome(kit: WeirKit): Promise<unknown[]> {
  const { tokens, server, clock } = kit;
  const errors: unknown[] = [];
  const attempt = async () => {
    clock.advance(61_000); // past any hold of the previous failure
    tokens.invalidate();
    try {
      await tokens.getAccessToken();
    } catch (error) {
      errors.push(error);
    }
  };

  await attempt(); // success
  server.fail({ kind: 'status', status: 503 }); // retried, then success
  await attempt();
  server.fail({ kind: 'status', status: 500, body: '' }, { times: 3 });
  await attempt();
  server.fail({ kind: 'reset' }, { times: 3 });
  await attempt();
  server.fail({ kind: 'hang' }, { times: 3 });
  await attempt();
  server.fail({ kind: 'html' });
  await attempt();
  server.fail({ kind: 'oversized', bytes: 100_000 });
  await attempt();
  server.fail({
    kind: 'body',
    body: {
      data: { accessToken: kit.obtained[0], expiresIn: -1, tokenType: 'Bearer' },
      status: 'success',
    },
  });
  await attempt();
  server.fail({ kind: 'rate-limit', retryAfterSeconds: 10 });
  await attempt();
  server.setCredentials(CLIENT_ID, 'rotated-secret');
  await attempt();
  errors.push(await rejectionOf(tokens.refresh()));
  server.setCredentials(CLIENT_ID, SECRET_KEY);
  await attempt();
  // Spend the budget: RATE_LIMIT_EXCEEDED from the local budget.
  for (let i = 0; i < 12; i++) errors.push(await tokens.refresh().catch((error: unknown) => error));
  return errors;
}

describe('secrets never printed', () => {
  it('not in log lines, errors, their stacks, nor the inspected or serialised services and tokens', async () => {
    const kit = await startWeirKit({ auth: { requestTimeoutMs: 200 } });
    const errors = await everyOutcome(kit);
    const secrets = kit.secrets();
    expect(kit.obtained.length).toBeGreaterThan(3);
    expect(errors.filter((e) => e instanceof WeirAuthError).length).toBeGreaterThan(8);

    expectNoSecret(kit.logger.text(), secrets, 'the log');
    errors.forEach((error, i) => expectNoSecret(printed(error), secrets, `error #${i}`));
    const token = await kit.tokens.getToken();
    expectNoSecret(printed(token), secrets, 'the WeirAccessToken');
    expectNoSecret(printed(kit.tokens), secrets, 'the WeirTokenService');
    expectNoSecret(printed(kit.tokens.getStatus()), secrets, 'the token status');
    expectNoSecret(
      printed(kit.app.get(WEIR_AUTH_RESOLVED_OPTIONS)),
      secrets,
      'the resolved options',
    );
    expectNoSecret(printed(kit.app.get(WEIR_AUTH_MODULE_OPTIONS)), secrets, 'the options as given');
  });

  it('WeirAuthError carries nothing of the HTTP exchange', async () => {
    const kit = await startWeirKit({ auth: { retry: { attempts: 1 } } });
    kit.server.fail({ kind: 'reset' });

    const error = (await rejectionOf(kit.tokens.getAccessToken())) as WeirAuthError;

    expect(error).toBeInstanceOf(WeirAuthError);
    expect(['code', 'name', 'retryAfterMs', 'status']).toEqual(
      expect.arrayContaining(Object.keys(error)),
    );
    expect(error.cause).toBeUndefined();
  });

  it('prints WeirAccessToken objects with accessToken [REDACTED], yet the property holds the token', async () => {
    const kit = await startWeirKit();
    const token = await kit.tokens.getToken();

    expect(token.accessToken).toBe(kit.obtained[0]);
    expect(inspect(token)).toContain('[REDACTED]');
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      accessToken: '[REDACTED]',
      tokenType: 'Bearer',
      expiresIn: 3600,
      expiresAt: token.expiresAt.toISOString(),
    });
    expect(`${JSON.stringify({ token })}`).not.toContain(kit.obtained[0]);
    expect(Object.isFrozen(token)).toBe(true);
  });

  it('shows the client id, never the secret, in the printed service', async () => {
    const kit = await startWeirKit();
    await kit.tokens.getAccessToken();

    expect(inspect(kit.app.get(WeirTokenService))).toContain(CLIENT_ID);
    expect(JSON.stringify(kit.tokens)).toContain(CLIENT_ID);
    expectNoSecret(printed(kit.tokens), kit.secrets(), 'the WeirTokenService');
  });
});

describe('logging', () => {
  it('writes a debug line per token request (outcome, duration, lifetime) and a warning per failure', async () => {
    const kit = await startWeirKit();
    kit.server.fail({ kind: 'status', status: 503 });

    await kit.tokens.getAccessToken();

    expect(kit.logger.lines('debug')).toEqual([
      expect.stringMatching(/succeeded in \d+ ms.*valid for 3600 s/),
    ]);
    expect(kit.logger.lines('warn')).toEqual([
      expect.stringMatching(/failed in \d+ ms.*SERVICE_UNAVAILABLE/),
    ]);
    expect(kit.logger.lines('error')).toEqual([]);
  });

  it('logs through Nest’s Logger with context WeirAuth when no logger option is given', async () => {
    const kit = await startWeirKit({ logVia: 'nest' });
    kit.server.setCredentials(CLIENT_ID, 'rotated-secret');

    await expect(kit.tokens.getAccessToken()).rejects.toBeInstanceOf(WeirAuthError);
    kit.server.setCredentials(CLIENT_ID, SECRET_KEY);
    kit.clock.advance(60_000);
    await kit.tokens.getAccessToken();

    const ours = kit.logger.entries.filter((entry) => entry.args.at(-1) === 'WeirAuth');
    expect(ours.map((entry) => entry.level)).toEqual(['warn', 'debug']);
    expect(ours[0].args[0]).toMatch(/INVALID_CREDENTIALS/);
    expectNoSecret(kit.logger.text(), kit.secrets(), 'the Nest log');
  });

  it('is silent with logger: false', async () => {
    const options: Partial<WeirAuthModuleOptions> = { logger: false };
    const kit = await startWeirKit({ auth: options, logVia: 'nest' });
    kit.server.fail({ kind: 'status', status: 503 });

    await kit.tokens.getAccessToken();

    expect(kit.logger.entries.filter((entry) => entry.args.at(-1) === 'WeirAuth')).toEqual([]);
  });
});
