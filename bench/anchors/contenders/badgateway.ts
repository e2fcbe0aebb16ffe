import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import type { Contender, ContenderFactory } from '../contender.js';

/**
 * @badgateway/oauth2-client 3 as its README shows it: an OAuth2Client, and the OAuth2Fetch
 * wrapper whose `getNewToken` runs the client-credentials grant; calls go through `fetch()`.
 */
export const createBadgatewayContender: ContenderFactory = async (target) => {
  const client = new OAuth2Client({
    server: target.baseUrl,
    clientId: target.clientId,
    clientSecret: target.secretKey,
    tokenEndpoint: '/oauth2/token',
  });
  const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
  const echoUrl = new URL('/v1/echo', target.baseUrl).href;
  const contender: Contender = {
    token: () => wrapper.getAccessToken(),
    async echo() {
      const response = await wrapper.fetch(echoUrl);
      // Read to the end: an unread body keeps its connection from being reused.
      await response.arrayBuffer();
      return response.status;
    },
  };
  return contender;
};
