import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy on 127.0.0.1 that counts the 401s the API answers. It sits in front
 * of FakeWeirServer because a 401 a library retries never reaches its caller: only the wire shows
 * how often a library sent a token that had already expired.
 */
export class CountingProxy {
  /** 401 answers to `/v1/*` requests so far. */
  unauthorized = 0;
  /** `/v1/*` requests so far. */
  apiRequests = 0;

  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    private readonly server: Server,
    private readonly upstreamPort: number,
  ) {}

  static async start(upstreamUrl: string): Promise<CountingProxy> {
    const upstreamPort = Number(new URL(upstreamUrl).port);
    const server = createServer();
    const proxy = new CountingProxy(server, upstreamPort);
    server.on('request', (req, res) => {
      const isApi = req.url?.startsWith('/v1/') ?? false;
      if (isApi) proxy.apiRequests++;
      const upstream = request(
        {
          host: '127.0.0.1',
          port: proxy.upstreamPort,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: proxy.agent,
        },
        (answer) => {
          if (isApi && answer.statusCode === 401) proxy.unauthorized++;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  resetCounters(): void {
    this.unauthorized = 0;
    this.apiRequests = 0;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    this.agent.destroy();
    await closed;
  }
}
