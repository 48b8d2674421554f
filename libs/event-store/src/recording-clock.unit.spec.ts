import { ClockBehindError, RecordingClock } from './recording-clock';

/** A clock on fake sources: `wall` is the system clock, `elapsed` the monotonic count. */
function aClock(wallAtStart: string) {
  const sources = { wall: Date.parse(wallAtStart), elapsed: 0 };
  const said: string[] = [];
  const clock = new RecordingClock({
    wall: () => sources.wall,
    monotonic: () => sources.elapsed,
    log: (message) => said.push(message),
  });
  /** Time passes: both sources move on. */
  const pass = (ms: number): void => {
    sources.wall += ms;
    sources.elapsed += ms;
  };
  return { clock, sources, said, pass };
}

describe('RecordingClock', () => {
  it('stamps the system time when nothing stored is later', () => {
    const { clock, said } = aClock('2026-01-01T00:00:00.000Z');
    expect(clock.stamp('s', '2025-12-31T23:59:59.000Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.stamp('new', undefined)).toBe('2026-01-01T00:00:00.000Z');
    expect(said).toEqual([]);
  });

  it('given a previous stamp that is not a time: stamps the system time, and keeps counting', () => {
    const { clock, pass } = aClock('2026-01-01T00:00:00.000Z');
    expect(clock.stamp('s', 'yesterday')).toBe('2026-01-01T00:00:00.000Z');
    pass(1);
    expect(clock.stamp('s', undefined)).toBe('2026-01-01T00:00:00.001Z');
  });

  it('given the system clock set back while running: counts on from its start-up anchor, and says so once', () => {
    const { clock, sources, said, pass } = aClock('2026-01-01T00:00:00.000Z');
    pass(5_000);
    sources.wall -= 3_600_000; // someone sets the clock back an hour

    expect(clock.stamp('s', '2026-01-01T00:00:04.000Z')).toBe('2026-01-01T00:00:05.000Z');
    pass(1_000);
    expect(clock.stamp('s', '2026-01-01T00:00:05.000Z')).toBe('2026-01-01T00:00:06.000Z');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/set back by 3600\.000 s/);
  });

  it('given a stored time up to the tolerance ahead (another process): goes on from it quietly', () => {
    const { clock, said, pass } = aClock('2026-01-01T00:00:00.000Z');
    expect(clock.stamp('s', '2026-01-01T00:00:00.400Z')).toBe('2026-01-01T00:00:00.400Z');
    pass(10);
    expect(clock.stamp('s', '2026-01-01T00:00:00.400Z')).toBe('2026-01-01T00:00:00.410Z');
    expect(said).toEqual([]);
  });

  it('given a stored time between tolerance and threshold ahead: stamps strictly after it, runs on from there, and says so', () => {
    const { clock, said, pass } = aClock('2026-01-01T00:00:00.000Z');
    expect(clock.stamp('s', '2026-01-01T00:00:30.000Z')).toBe('2026-01-01T00:00:30.001Z');
    pass(100);
    expect(clock.stamp('other', undefined)).toBe('2026-01-01T00:00:30.101Z');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/30\.000 s behind the last recordedAt of s/);
  });

  it('given a stored time more than the threshold ahead: refuses (ClockBehindError), logs it once, and moves nothing', () => {
    const { clock, said } = aClock('2026-01-01T00:00:00.000Z');
    const ahead = '2026-01-01T01:00:00.000Z';

    expect(() => clock.stamp('s', ahead)).toThrow(ClockBehindError);
    expect(() => clock.stamp('s', ahead)).toThrow(/behind the last recordedAt of s/);
    expect(said).toHaveLength(1);
    expect(clock.stamp('other', undefined)).toBe('2026-01-01T00:00:00.000Z');
  });

  describe('anchored at start-up to the highest stored recordedAt', () => {
    it('behind it by less than the threshold: every stamp comes after it, and it says so', () => {
      const { clock, said } = aClock('2026-01-01T00:00:00.000Z');
      clock.anchor('2026-01-01T00:00:20.000Z', 'negotiation talks');

      expect(clock.stamp('new', undefined)).toBe('2026-01-01T00:00:20.000Z');
      expect(said[0]).toMatch(/20\.000 s behind the latest recordedAt in negotiation talks/);
    });

    it('behind it by more than the threshold: not carried into that future; says what to do', () => {
      const { clock, said } = aClock('2026-01-01T00:00:00.000Z');
      clock.anchor('2027-01-01T00:00:00.000Z', 'negotiation talks');

      expect(clock.stamp('new', undefined)).toBe('2026-01-01T00:00:00.000Z');
      expect(said[0]).toMatch(
        /latest recordedAt in negotiation talks .* ahead of the system clock/,
      );
      expect(said[0]).toMatch(/set it right and restart/);
    });

    it('ahead of it: nothing to say', () => {
      const { clock, said } = aClock('2026-01-01T00:00:00.000Z');
      clock.anchor('2025-06-01T00:00:00.000Z');
      expect(clock.stamp('new', undefined)).toBe('2026-01-01T00:00:00.000Z');
      expect(said).toEqual([]);
    });
  });

  describe('anchored at start-up to the system clock', () => {
    /**
     * Sources on one real time, in ms: each read takes 0.1 us, the system clock reads whole
     * milliseconds, and the thread is paused right after a read that sees the system clock's
     * millisecond turn (preempted between the two reads): for `pausesMs[k]` at the k-th turn
     * seen, and after them not at all when `thenNone`, or as they say again. (The read after a
     * pause sees the millisecond turn again, inside the pause: a 0 leaves it unpaused.)
     */
    function pausedAtTheTurn(pausesMs: number[], thenNone: boolean) {
      const epoch = Date.parse('2026-01-01T00:00:00.000Z');
      // Kept small: at 1.7e12 a double's step (2.4e-4) is longer than a read.
      let time = 0.25;
      let lastWall = 0;
      let pauses = 0;
      const wall = () => {
        time += 0.0001;
        const read = Math.floor(time);
        if (read !== lastWall && (pauses < pausesMs.length || !thenNone)) {
          time += pausesMs[pauses % pausesMs.length]!;
          pauses += 1;
        }
        lastWall = read;
        return epoch + read;
      };
      const monotonic = () => {
        time += 0.0001;
        return time + 1_000;
      };
      return {
        clock: new RecordingClock({ wall, monotonic, log: () => undefined }),
        systemTime: () => epoch + time,
      };
    }

    it('given the thread paused where the millisecond turns: stamps the system time, not the time before the pause', () => {
      const { clock, systemTime } = pausedAtTheTurn([8, 0, 8, 0], true);
      const stamped = Date.parse(clock.stamp('s', undefined));
      expect(Math.abs(stamped - Math.floor(systemTime()))).toBeLessThanOrEqual(1);
    });

    it('given every turn paused for as long as it looks: takes the shortest pause, half of it off the system time', () => {
      const { clock, systemTime } = pausedAtTheTurn([9, 0, 2, 0, 7, 0], false);
      const stamped = Date.parse(clock.stamp('s', undefined));
      // 1 ms off at most, and the stamp's own rounding down to a millisecond.
      expect(Math.abs(stamped - systemTime())).toBeLessThanOrEqual(2);
    });
  });
});
