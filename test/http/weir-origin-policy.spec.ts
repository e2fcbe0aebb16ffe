import axios, { type AxiosRequestConfig } from 'axios';
import { WeirOriginPolicy } from '../../lib/http/weir-origin-policy.js';

const WEIR = 'https://api.weir.ai';
const OTHER = 'https://elsewhere.example';

/** The origin axios's Node adapter would connect to, or undefined when it would send nothing. */
function axiosOrigin(config: AxiosRequestConfig): string | undefined {
  try {
    return new URL(axios.getUri(config)).origin;
  } catch {
    return undefined;
  }
}

describe('WeirOriginPolicy', () => {
  const policy = new WeirOriginPolicy([WEIR]);

  // [baseURL, url, allowAbsoluteUrls]
  const cases: Array<[string | undefined, string | undefined, boolean | undefined]> = [
    [WEIR, '/v1/echo', undefined],
    [WEIR, 'v1/echo', undefined],
    [`${WEIR}/v1/`, 'echo', undefined],
    [`${WEIR}:443`, '/v1/echo', undefined],
    [WEIR, '', undefined],
    [WEIR, undefined, undefined],
    [WEIR, `${WEIR}/v1/echo`, undefined],
    [WEIR, 'HTTPS://API.WEIR.AI/v1/echo', undefined],
    [WEIR, `${OTHER}/v1/echo`, undefined],
    [WEIR, `${OTHER}/v1/echo`, false],
    [WEIR, `${WEIR}@elsewhere.example/v1/echo`, undefined],
    [WEIR, 'http://api.weir.ai/v1/echo', undefined],
    [WEIR, 'https://api.weir.ai:8443/v1/echo', undefined],
    [WEIR, ` ${OTHER}/v1/echo`, undefined],
    [WEIR, `\t${OTHER}/v1/echo`, undefined],
    [undefined, ` ${OTHER}/v1/echo`, undefined],
    [undefined, `${WEIR}/v1/echo`, undefined],
    [OTHER, '/v1/echo', undefined],
    [OTHER, `${WEIR}/v1/echo`, undefined],
    [OTHER, `${WEIR}/v1/echo`, false],
  ];

  it.each(cases)(
    'judges baseURL %p + url %p (allowAbsoluteUrls %p) by the origin axios requests',
    (baseURL, url, allowAbsoluteUrls) => {
      const config = { baseURL, url, allowAbsoluteUrls };
      const origin = axiosOrigin(config);

      expect(origin).toBeDefined();
      expect(policy.allowsRequest(config)).toBe(origin === WEIR);
    },
  );

  it.each([
    [WEIR, '//api.weir.ai/v1/echo'],
    [WEIR, '//elsewhere.example/v1/echo'],
    [undefined, '//api.weir.ai/v1/echo'],
    [undefined, '/v1/echo'],
  ])(
    'refuses URLs Node cannot send (protocol-relative, or relative without base): %p + %p',
    (baseURL, url) => {
      expect(axiosOrigin({ baseURL, url })).toBeUndefined();
      expect(policy.allowsRequest({ baseURL, url })).toBe(false);
    },
  );

  it('refuses requests over a Unix socket, whatever the URL says', () => {
    expect(policy.allowsRequest({ baseURL: WEIR, url: '/v1/echo', socketPath: '/tmp/s' })).toBe(
      false,
    );
  });

  it('judges redirect targets by their origin', () => {
    expect(policy.allowsUrl(`${WEIR}/elsewhere`)).toBe(true);
    expect(policy.allowsUrl(`${OTHER}/v1/echo`)).toBe(false);
    expect(policy.allowsUrl('not a url')).toBe(false);
  });
});
