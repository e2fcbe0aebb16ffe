import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a {@link RecordingServer} saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The `Authorization` header, if one arrived. */
  readonly authorization?: string;
}

/** Answers a request; the default answers 200 `{ ok: true }`. */
export type RecordingHandler = (req: IncomingMessage, res: ServerResponse, url: string) => void;

/**
 * A node:http server on 127.0.0.1 at an ephemeral port that records what it receives: the
 * "someone else" of the tests, and the redirecting or always-401 origin.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  #url = '';

  private constructor(private readonly server: ReturnType<typeof createServer>) {}

  static async start(handler: RecordingHandler = ok): Promise<RecordingServer> {
    const recording: RecordingServer = new RecordingServer(
      createServer((req, res) => {
        recording.requests.push({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          ...(req.headers.authorization !== undefined && {
            authorization: req.headers.authorization,
          }),
        });
        handler(req, res, recording.url);
      }),
    );
    await new Promise<void>((resolve) => recording.server.listen(0, '127.0.0.1', resolve));
    recording.#url = `http://127.0.0.1:${(recording.server.address() as AddressInfo).port}`;
    return recording;
  }

  /** `http://127.0.0.1:<port>`, no trailing slash. */
  get url(): string {
    return this.#url;
  }

  /** The `Authorization` headers received, in order. */
  get authorizations(): Array<string | undefined> {
    return this.requests.map((request) => request.authorization);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function ok(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
}

/** Answers every request 401, as an API that refuses the token would. */
export function alwaysUnauthorized(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
}

/** Redirects a request with `?to=<absolute url>` there (302); answers any other 200. */
export function redirecting(req: IncomingMessage, res: ServerResponse, url: string): void {
  const target = new URL(req.url ?? '/', url).searchParams.get('to');
  if (target) res.writeHead(302, { location: target }).end();
  else ok(req, res);
}
