// Just enough of the anchors' APIs, as their READMEs use them: neither package ships typings.

declare module 'simple-oauth2' {
  export interface ModuleOptions {
    client: { id: string; secret: string };
    auth: { tokenHost: string; tokenPath?: string };
  }
  export interface AccessToken {
    readonly token: { readonly access_token: string; readonly expires_at: Date };
    expired(expirationWindowSeconds?: number): boolean;
  }
  export class ClientCredentials {
    constructor(options: ModuleOptions);
    getToken(params: { scope?: string | string[] }): Promise<AccessToken>;
  }
}

declare module 'axios-token-interceptor' {
  import type { InternalAxiosRequestConfig } from 'axios';

  interface TokenCache<T> {
    (): Promise<T>;
    reset(): void;
  }
  interface TokenProvider {
    <T>(options: {
      token?: string;
      getToken?: () => T | Promise<T>;
      header?: string;
      headerFormatter?: (token: T) => string;
    }): (config: InternalAxiosRequestConfig) => Promise<InternalAxiosRequestConfig>;
    tokenCache<T>(
      getToken: () => Promise<T>,
      options: { maxAge?: number; getMaxAge?: (token: T) => number },
    ): TokenCache<T>;
  }
  const tokenProvider: TokenProvider;
  export = tokenProvider;
}
