import axios from 'axios';
import { ClientCredentials, type AccessToken } from 'simple-oauth2';
import type { Contender, ContenderFactory } from '../contender.js';

/**
 * simple-oauth2 5 as its README shows the client-credentials grant: `client.getToken()`, and
 * "fetch a new token when it's expired" (`accessToken.expired()`). It has no HTTP client, so the
 * token goes on an axios request by hand.
 */
export const createSimpleOauth2Contender: ContenderFactory = async (target) => {
  const client = new ClientCredentials({
    client: { id: target.clientId, secret: target.secretKey },
    auth: { tokenHost: target.baseUrl, tokenPath: '/oauth2/token' },
  });
  let accessToken: AccessToken | undefined;
  const token = async () => {
    if (!accessToken || accessToken.expired()) accessToken = await client.getToken({});
    return accessToken.token.access_token;
  };
  const api = axios.create({ baseURL: target.baseUrl, validateStatus: () => true });
  const contender: Contender = {
    token,
    async echo() {
      const response = await api.get('/v1/echo', {
        headers: { Authorization: `Bearer ${await token()}` },
      });
      return response.status;
    },
  };
  return contender;
};
