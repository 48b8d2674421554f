import { ConfigError, configFromEnv } from '../config';
import { DEFAULT_HTTP_LIMITS } from './http-limits';

describe('HTTP limits from the environment', () => {
  it('are the defaults when unset', () => {
    expect(configFromEnv({}).http).toEqual(DEFAULT_HTTP_LIMITS);
  });

  it('reads each variable as a whole number of milliseconds or bytes', () => {
    expect(
      configFromEnv({
        REQUEST_TIMEOUT_MS: '5000',
        HEADERS_TIMEOUT_MS: '2000',
        MAX_QUEUED_BYTES: '1048576',
        SHUTDOWN_DRAIN_MS: '3000',
      }).http,
    ).toMatchObject({
      requestTimeoutMs: 5000,
      headersTimeoutMs: 2000,
      maxQueuedBytes: 1048576,
      shutdownDrainMs: 3000,
    });
  });

  it.each([
    ['REQUEST_TIMEOUT_MS', '0'],
    ['IDLE_TIMEOUT_MS', '1e3'],
    ['MAX_PIPELINED_REQUESTS', '-1'],
    ['MAX_QUEUED_BYTES', '64MiB'],
  ])('%s=%s: refuses to start, naming the variable', (name, value) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(
      new RegExp(`${name} must be a whole number above 0, got "${value}"`),
    );
  });

  it('refuses a head timeout above the request timeout (Node would throw at start-up)', () => {
    expect(() => configFromEnv({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(
      /HEADERS_TIMEOUT_MS \(2000\) must not be above REQUEST_TIMEOUT_MS \(1000\)/,
    );
  });
});
