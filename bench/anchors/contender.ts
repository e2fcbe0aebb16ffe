/** Where a contender finds the API and its token endpoints, and the client it authenticates as. */
export interface AnchorTarget {
  /** Origin of the Weir API (FakeWeirServer, or the counting proxy in front of it). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly secretKey: string;
}

/**
 * One way to call a bearer-protected API: this package, or a popular OAuth2 client used the way
 * its README shows. Each lives in its own file under contenders/.
 */
export interface Contender {
  /** The bearer token, as the library hands it to a caller (cached after the first call). */
  token(): Promise<string>;
  /** `GET /v1/echo` with the library's token; resolves the status the caller finally sees. */
  echo(): Promise<number>;
}

export type ContenderFactory = (target: AnchorTarget) => Promise<Contender>;

export const CONTENDER_NAMES = [
  'nestjs-weir-auth',
  'simple-oauth2',
  '@badgateway/oauth2-client',
  'axios-oauth-client + axios-token-interceptor',
] as const;

export type ContenderName = (typeof CONTENDER_NAMES)[number];

/** Loads only the contender asked for: a child process must not import the other libraries. */
export async function loadContender(name: ContenderName): Promise<ContenderFactory> {
  switch (name) {
    case 'nestjs-weir-auth':
      return (await import('./contenders/weir.js')).createWeirContender;
    case 'simple-oauth2':
      return (await import('./contenders/simple-oauth2.js')).createSimpleOauth2Contender;
    case '@badgateway/oauth2-client':
      return (await import('./contenders/badgateway.js')).createBadgatewayContender;
    case 'axios-oauth-client + axios-token-interceptor':
      return (await import('./contenders/axios-oauth-client.js')).createAxiosOauthClientContender;
  }
}
