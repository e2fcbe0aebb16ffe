import { parseRetryAfter, serverRequestedWaitMs } from '../../lib/token/rate-limit-headers.js';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const NOW_EPOCH_S = NOW / 1000;

describe('parseRetryAfter', () => {
  it.each([
    ['30', 30_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['1.5', 1_500],
  ])('reads delta-seconds %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('reads an HTTP-date relative to the wall clock', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfter(new Date(NOW + 45_000).toUTCString(), NOW)).toBe(45_000);
    // The obsolete forms RFC 9110 still asks recipients to accept: RFC 850 and asctime.
    expect(parseRetryAfter('Tuesday, 01-Jan-30 00:02:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Tue Jan  1 00:00:10 2030', NOW)).toEqual(expect.any(Number));
  });

  it('reads an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:59:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', '-5', '-1', 'abc 1', 'soon', '12abc'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('serverRequestedWaitMs', () => {
  it('answers undefined without any rate-limit header', () => {
    expect(serverRequestedWaitMs({ 'content-type': 'application/json' }, NOW)).toBeUndefined();
  });

  it('reads Retry-After in seconds and as an HTTP-date', () => {
    expect(serverRequestedWaitMs({ 'retry-after': '12' }, NOW)).toBe(12_000);
    expect(
      serverRequestedWaitMs({ 'retry-after': new Date(NOW + 20_000).toUTCString() }, NOW),
    ).toBe(20_000);
  });

  it('reads X-RateLimit-Reset as a delta in seconds', () => {
    expect(serverRequestedWaitMs({ 'x-ratelimit-reset': '42' }, NOW)).toBe(42_000);
  });

  it('reads X-RateLimit-Reset as an epoch second', () => {
    expect(serverRequestedWaitMs({ 'x-ratelimit-reset': String(NOW_EPOCH_S + 75) }, NOW)).toBe(
      75_000,
    );
    expect(serverRequestedWaitMs({ 'x-ratelimit-reset': String(NOW_EPOCH_S - 10) }, NOW)).toBe(0);
  });

  it('reads the IETF RateLimit-Reset header', () => {
    expect(serverRequestedWaitMs({ 'ratelimit-reset': '9' }, NOW)).toBe(9_000);
  });

  it('reads the structured IETF RateLimit header (t=)', () => {
    expect(serverRequestedWaitMs({ ratelimit: '"default";r=0;t=33' }, NOW)).toBe(33_000);
  });

  it('takes the longest wait any header asks for', () => {
    const headers = {
      'retry-after': '5',
      'x-ratelimit-reset': '50',
      'ratelimit-reset': '20',
      ratelimit: '"burst";r=0;t=30',
    };
    expect(serverRequestedWaitMs(headers, NOW)).toBe(50_000);
  });

  it('reads the first value of a repeated header', () => {
    expect(serverRequestedWaitMs({ 'retry-after': ['8', '99'] } as never, NOW)).toBe(8_000);
  });

  describe('on a success (onlyWhenExhausted)', () => {
    it('ignores reset headers while requests remain', () => {
      const headers = {
        'x-ratelimit-remaining': '3',
        'x-ratelimit-reset': '40',
        'ratelimit-remaining': '1',
        'ratelimit-reset': '40',
        ratelimit: '"default";r=2;t=40',
      };
      expect(serverRequestedWaitMs(headers, NOW, true)).toBeUndefined();
    });

    it('pauses until the reset when the success spent the last request', () => {
      expect(
        serverRequestedWaitMs(
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '40' },
          NOW,
          true,
        ),
      ).toBe(40_000);
      expect(
        serverRequestedWaitMs({ 'ratelimit-remaining': '0', 'ratelimit-reset': '25' }, NOW, true),
      ).toBe(25_000);
      expect(serverRequestedWaitMs({ ratelimit: '"default";r=0;t=15' }, NOW, true)).toBe(15_000);
    });

    it('ignores Retry-After, which only means something on a refusal', () => {
      expect(serverRequestedWaitMs({ 'retry-after': '30' }, NOW, true)).toBeUndefined();
    });
  });
});
