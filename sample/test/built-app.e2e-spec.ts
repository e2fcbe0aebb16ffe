import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { buildSample, removeSample, runSample, type SampleProcess } from './support/built-sample';

/** Base64url of `{"alg"`: every JWT, and so every token the fake issues, starts with it. */
const JWT_PREFIX = 'eyJ';

describe('the built sample (npm run sample:build, then node sample/dist/main.js)', () => {
  let dir: string;
  const running = new Set<SampleProcess>();

  function start(env: Record<string, string>): SampleProcess {
    const sample = runSample(dir, env);
    running.add(sample);
    return sample;
  }

  beforeAll(() => {
    dir = buildSample();
  }, 180_000);

  afterEach(async () => {
    for (const sample of running) {
      if (sample.child.exitCode === null && sample.child.signalCode === null) {
        sample.child.kill('SIGKILL');
        await sample.exited();
      }
    }
    running.clear();
  });

  afterAll(() => {
    if (dir) removeSample(dir);
  });

  it('imports the package by its name, not by a path into lib/', () => {
    const appModule = readFileSync(join(dir, 'sample', 'dist', 'app.module.js'), 'utf8');

    expect(appModule).toContain('require("nestjs-weir-auth")');
    expect(appModule).not.toMatch(/require\("[./]*lib\b/);
  });

  it('starts on the embedded fake Weir API, says so first, answers, and stops on SIGTERM', async () => {
    const sample = start({ PORT: '0' });
    const [, url] = await sample.waitFor(/Listening on (http:\/\/\S+):/);

    const [health, token, echo] = await Promise.all(
      ['/health', '/weir/token', '/weir/echo'].map((path) => fetch(`${url}${path}`)),
    );
    expect(health.status).toBe(200);
    expect(token.status).toBe(200);
    expect(echo.status).toBe(200);
    const tokenText = await token.text();
    expect(JSON.parse(tokenText)).toMatchObject({ api: { environment: 'embedded' } });
    expect(tokenText).not.toContain(JWT_PREFIX);
    expect(await echo.json()).toMatchObject({
      authorization: 'Bearer [REDACTED]',
      status: 200,
      body: { ok: true, path: '/v1/echo' },
    });

    // The app's own first lines: which API, at which URL, and how to switch.
    const ownLines = sample
      .output()
      .split('\n')
      .filter((line) => !/\[(NestFactory|InstanceLoader)\]/.test(line));
    expect(ownLines[0]).toMatch(
      /\[EmbeddedWeir\] Weir API: embedded FakeWeirServer at http:\/\/127\.0\.0\.1:\d+ /,
    );
    expect(ownLines[1]).toMatch(/set WEIR_CLIENT_ID and WEIR_SECRET_KEY/);

    sample.child.kill('SIGTERM');
    const { code, signal } = await sample.exited(10_000);
    // enableShutdownHooks closes the app, then re-raises the signal.
    expect(signal === 'SIGTERM' || code === 0).toBe(true);
    expect(sample.output()).not.toContain(JWT_PREFIX);
  }, 60_000);

  it('with credentials, calls the API they name: WEIR_API_URL, and WEIR_SAMPLE_PATH for /weir/echo', async () => {
    // A FakeWeirServer of the test's own, standing in for the real API.
    const api = await FakeWeirServer.start({ clientId: 'real-client', secretKey: 'real-secret' });
    try {
      const credentials = {
        PORT: '0',
        WEIR_CLIENT_ID: 'real-client',
        WEIR_SECRET_KEY: 'real-secret',
        WEIR_API_URL: api.url,
      };
      const withPath = start({ ...credentials, WEIR_SAMPLE_PATH: '/v1/echo' });
      const withoutPath = start(credentials);
      const [, url] = await withPath.waitFor(/Listening on (http:\/\/\S+):/);
      const [, urlWithoutPath] = await withoutPath.waitFor(/Listening on (http:\/\/\S+):/);

      expect(withPath.output()).toContain(`[EmbeddedWeir] Weir API: ${api.url} (production)`);
      expect(withPath.output()).not.toContain('FakeWeirServer at');
      const echo = await fetch(`${url}/weir/echo`);
      expect(echo.status).toBe(200);
      expect(await echo.json()).toMatchObject({
        api: { environment: 'production', baseUrl: api.url },
        request: 'GET /v1/echo',
        body: { ok: true },
      });
      const unnamed = await fetch(`${urlWithoutPath}/weir/echo`);
      expect(unnamed.status).toBe(501);
      expect(await unnamed.text()).toContain('WEIR_SAMPLE_PATH');
      expect(withPath.output() + withoutPath.output()).not.toContain('real-secret');
    } finally {
      await api.close();
    }
  }, 60_000);

  it('stops at start-up, naming the key, when WEIR_API_URL is not a URL the package accepts', async () => {
    const secret = 'do-not-print-this-secret';
    const sample = start({
      WEIR_CLIENT_ID: 'sample-client',
      WEIR_SECRET_KEY: secret,
      WEIR_API_URL: `http://user:${secret}@example.com/?key=${secret}`,
    });

    const { code } = await sample.exited();

    expect(code).toBe(1);
    expect(sample.output()).toContain(
      'WeirAuthOptionsError: Invalid WeirAuthModule options: baseUrl: baseUrl must be an absolute https URL',
    );
    expect(sample.output()).not.toContain(secret);
  }, 30_000);

  it('stops at start-up, naming the variable, when PORT is not a port', async () => {
    const sample = start({ PORT: 'eighty' });

    const { code } = await sample.exited();

    expect(code).not.toBe(0);
    expect(sample.output()).toContain('Invalid environment: PORT must be an integer number');
  }, 30_000);
});
