import { isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { startWeirApp } from '../../support/weir-app.js';
import type { Contender, ContenderFactory } from '../contender.js';

/** This package as its README shows it: WeirAuthModule.forRoot, then WeirHttpService. */
export const createWeirContender: ContenderFactory = async (target) => {
  const app = await startWeirApp({ baseUrl: target.baseUrl });
  const contender: Contender = {
    token: () => app.tokens.getAccessToken(),
    async echo() {
      try {
        return (await firstValueFrom(app.weirHttp.get('/v1/echo'))).status;
      } catch (error) {
        if (isAxiosError(error) && error.response) return error.response.status;
        throw error;
      }
    },
  };
  return contender;
};
