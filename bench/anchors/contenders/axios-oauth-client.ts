import axios from 'axios';
import { clientCredentials } from 'axios-oauth-client';
import tokenProvider from 'axios-token-interceptor';
import type { Contender, ContenderFactory } from '../contender.js';

interface OAuth2TokenBody {
  readonly access_token: string;
  readonly expires_in: number;
}

/**
 * axios-oauth-client 2 for the client-credentials grant, cached and attached by
 * axios-token-interceptor 0.2, as their READMEs show: `tokenCache` with
 * `getMaxAge: body => body.expires_in * 1000`, and a `headerFormatter` for the bearer header.
 */
export const createAxiosOauthClientContender: ContenderFactory = async (target) => {
  const getClientCredentials = clientCredentials(
    axios.create(),
    new URL('/oauth2/token', target.baseUrl).href,
    target.clientId,
    target.secretKey,
  );
  const cache = tokenProvider.tokenCache(
    () => getClientCredentials('') as Promise<OAuth2TokenBody>,
    { getMaxAge: (body) => body.expires_in * 1000 },
  );
  const api = axios.create({ baseURL: target.baseUrl, validateStatus: () => true });
  api.interceptors.request.use(
    tokenProvider({
      getToken: cache,
      headerFormatter: (body: OAuth2TokenBody) => `Bearer ${body.access_token}`,
    }),
  );
  const contender: Contender = {
    token: async () => (await cache()).access_token,
    echo: async () => (await api.get('/v1/echo')).status,
  };
  return contender;
};
