import { RefusedKeys } from './api-key.guard';

describe('RefusedKeys', () => {
  it('blocks an address past its limit of refused keys until a minute after the first, then forgets it', () => {
    let now = 0;
    const refused = new RefusedKeys(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(refused.blockedFor('10.0.0.1')).toBe(0);
      refused.refused('10.0.0.1');
      now += 1_000;
    }
    expect(refused.blockedFor('10.0.0.1')).toBe(57);
    expect(refused.blockedFor('10.0.0.2')).toBe(0); // another address is not concerned
    now = 60_000;
    expect(refused.blockedFor('10.0.0.1')).toBe(0);
    refused.refused('10.0.0.1'); // a new window
    expect(refused.blockedFor('10.0.0.1')).toBe(0);
  });

  it('with a limit of 0, never blocks', () => {
    const refused = new RefusedKeys(0);
    for (let i = 0; i < 100; i++) refused.refused('10.0.0.1');
    expect(refused.blockedFor('10.0.0.1')).toBe(0);
  });
});
