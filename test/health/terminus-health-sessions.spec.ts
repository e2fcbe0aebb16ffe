import type { ModuleRef } from '@nestjs/core';

describe('loadHealthSessions without @nestjs/terminus', () => {
  afterEach(() => {
    jest.dontMock('@nestjs/terminus');
    jest.resetModules();
  });

  it('rejects with an error that says to install @nestjs/terminus', async () => {
    jest.resetModules();
    jest.doMock('@nestjs/terminus', () => {
      throw Object.assign(new Error("Cannot find module '@nestjs/terminus'"), {
        code: 'MODULE_NOT_FOUND',
      });
    });
    const { loadHealthSessions } = await import('../../lib/health/terminus-health-sessions.js');
    const moduleRef = { get: jest.fn() } as unknown as ModuleRef;

    const loading = loadHealthSessions(moduleRef);

    await expect(loading).rejects.toThrow(/npm install @nestjs\/terminus/);
    await expect(loading).rejects.toMatchObject({
      cause: expect.objectContaining({ code: 'MODULE_NOT_FOUND' }),
    });
  });

  it('lets isHealthy reject, and succeed once Terminus can be loaded', async () => {
    jest.resetModules();
    jest.doMock('@nestjs/terminus', () => {
      throw new Error("Cannot find module '@nestjs/terminus'");
    });
    const { createIndicator } = await import('./health-test-kit.js');
    const { indicator, tokens, clock } = createIndicator();
    tokens.status = {
      hasValidToken: true,
      expiresAt: new Date(clock.wall + 60_000),
      consecutiveFailures: 0,
    };

    await expect(indicator.isHealthy()).rejects.toThrow(
      /install it with `npm install @nestjs\/terminus`/,
    );
    expect(tokens.getToken).not.toHaveBeenCalled();

    jest.dontMock('@nestjs/terminus');
    await expect(indicator.isHealthy()).resolves.toMatchObject({ 'weir-auth': { status: 'up' } });
  });
});
