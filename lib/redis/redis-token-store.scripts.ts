import { RedisScript } from './redis-script.js';

/** Redis server time in milliseconds: instance clocks may disagree, the server's is the one truth. */
const SERVER_NOW_MS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * @internal Takes one token request from the fleet's budget, or answers the milliseconds until one
 * is free. A sliding log, as `SlidingWindowBudget` keeps in memory: at most `limit` requests in ANY
 * `window` ms, for each window, and none before the pause instant.
 *
 * KEYS: budget (sorted set), pause. ARGV: a unique member suffix, then limit, window, limit, window…
 * Returns 0 when granted, else the wait in ms.
 */
export const ACQUIRE_REQUEST_SLOT = new RedisScript(`${SERVER_NOW_MS}
local wait = 0
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then wait = paused - now end
local longest = 0
for i = 2, #ARGV, 2 do
  longest = math.max(longest, tonumber(ARGV[i + 1]))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
for i = 2, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local window = tonumber(ARGV[i + 1])
  local since = '(' .. (now - window)
  local inWindow = redis.call('ZCOUNT', KEYS[1], since, '+inf')
  if inWindow >= limit then
    -- The request 'limit' places back must leave the window before another may enter it.
    local blocking = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', inWindow - limit, 1)
    wait = math.max(wait, tonumber(blocking[2]) + window - now)
  end
end
if wait > 0 then return wait end
if longest > 0 then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[1])
  redis.call('PEXPIRE', KEYS[1], longest)
end
return 0
`);

/**
 * @internal Holds every token request back for ARGV[1] ms from now (server time), unless a longer
 * pause is already set. KEYS: pause.
 */
export const PAUSE_REQUESTS = new RedisScript(`${SERVER_NOW_MS}
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], untilMs, 'PX', ARGV[1])
end
return 0
`);

/** @internal Stores a sealed token and announces it in one step. KEYS: token. ARGV: sealed, ttl ms, channel. */
export const PUBLISH_TOKEN = new RedisScript(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 0
`);

/**
 * @internal Deletes the token only if it is still the one whose sealed values start with ARGV[1]
 * (its fingerprint): a token published meanwhile by another instance is kept. KEYS: token.
 */
export const DELETE_TOKEN_IF = new RedisScript(`
local sealed = redis.call('GET', KEYS[1])
if sealed and string.sub(sealed, 1, #ARGV[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * @internal Releases the lock only if ARGV[1] still owns it: after its TTL the lock may belong to
 * another instance, whose lock must not be released by the late first holder. KEYS: lock.
 */
export const RELEASE_LOCK = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);
