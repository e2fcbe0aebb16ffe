import { HttpModule } from '@nestjs/axios';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { WeirAuthModule, WeirAuthOptionsError } from 'nestjs-weir-auth';
import { ExistingHttpClient } from './snippets/existing-http.client';
import { HealthModule } from './snippets/health.module';
import { ModelsClient } from './snippets/models.client';
import { AppModule } from './snippets/quick-start.module';

const root = join(__dirname, '..', '..');
const normalise = (code: string) => code.replace(/\s+/g, ' ').trim();

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}

describe('README', () => {
  it('has every TypeScript block mirrored in a tested file, so none can rot', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    const sources = [
      ...sourcesUnder(join(root, 'test', 'readme')),
      ...sourcesUnder(join(root, 'sample')),
    ].map(normalise);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const block of blocks) {
      expect({
        block,
        mirrored: sources.some((source) => source.includes(normalise(block))),
      }).toEqual({
        block,
        mirrored: true,
      });
    }
  });

  it('shows the start-up error exactly as the package words it', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shown = /```text\n(WeirAuthOptionsError: .*)\n```/.exec(readme)?.[1];
    const startUp = Test.createTestingModule({
      imports: [
        WeirAuthModule.forRoot({ clientId: 'id', secretKey: '', baseUrl: 'http://example.com' }),
      ],
    }).compile();
    const thrown = await startUp.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(WeirAuthOptionsError);
    expect(shown).toBe(`WeirAuthOptionsError: ${(thrown as Error).message}`);
  });

  it('documents every name the entry points export', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const barrels = ['lib/index.ts', 'lib/testing/index.ts', 'lib/redis/index.ts'];
    const exported = barrels.flatMap((barrel) =>
      [
        ...readFileSync(join(root, barrel), 'utf8').matchAll(/export (?:type )?\{([^}]*)\}/g),
      ].flatMap((match) =>
        match[1]
          .split(',')
          .map((name) => name.replace(/^\s*type\s+/, '').trim())
          .filter(Boolean),
      ),
    );
    expect(exported.length).toBeGreaterThan(30);
    expect(exported.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });
});

describe('README snippets, booted', () => {
  let weir: FakeWeirServer;
  let app: INestApplication;

  beforeAll(async () => {
    weir = await FakeWeirServer.start({ clientId: 'readme-id', secretKey: 'readme-secret' });
    Object.assign(process.env, {
      WEIR_CLIENT_ID: 'readme-id',
      WEIR_SECRET_KEY: 'readme-secret',
      WEIR_API_URL: weir.url,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule, HealthModule, HttpModule],
      providers: [ModelsClient, ExistingHttpClient],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await weir?.close();
    for (const key of ['WEIR_CLIENT_ID', 'WEIR_SECRET_KEY', 'WEIR_API_URL'])
      delete process.env[key];
  });

  it('quick start + WeirHttpService: the bearer reaches the protected route', async () => {
    await expect(app.get(ModelsClient).echo()).resolves.toMatchObject({
      ok: true,
      path: '/v1/echo',
    });
  });

  it('attach(): an existing HttpService gets the bearer on the Weir origin', async () => {
    const { data } = await app.get(ExistingHttpClient).http.axiosRef.get(`${weir.url}/v1/echo`);
    expect(data).toMatchObject({ ok: true });
    expect(weir.tokenRequests).toBe(1);
  });

  it('health controller answers 200 with the indicator up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body.info['weir-auth'].status).toBe('up');
  });
});
