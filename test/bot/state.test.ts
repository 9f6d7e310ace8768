import { describe, expect, it, vi } from 'vitest';
import { AskSessions, pageOf } from '../../src/bot/AskSessions.js';
import { Cooldowns } from '../../src/bot/Cooldowns.js';

describe('Cooldowns', () => {
  it('GIVEN a question THEN the same user waits, others do not, and the wait ends', () => {
    let now = 1_000_000;
    const cooldowns = new Cooldowns(5, () => now);
    expect(cooldowns.take('alice')).toBe(0);
    expect(cooldowns.take('alice')).toBe(5000);
    expect(cooldowns.take('bob')).toBe(0);
    now += 4000;
    expect(cooldowns.take('alice')).toBe(1000);
    now += 1000;
    expect(cooldowns.take('alice')).toBe(0);
  });
  it('GIVEN 0 seconds THEN never waits', () => {
    const cooldowns = new Cooldowns(0);
    expect([cooldowns.take('a'), cooldowns.take('a')]).toEqual([0, 0]);
  });
});

describe('AskSessions', () => {
  it('GIVEN a session past its time THEN it is gone and onExpire ran once', () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const sessions = new AskSessions({ ttlMs: 1000, now: () => now });
      const onExpire = vi.fn();
      const s = sessions.open({ question: 'q', userId: 'u', views: [], pageSize: 3 }, onExpire);
      expect(sessions.get(s.id)).toBe(s);
      now = 1000;
      vi.advanceTimersByTime(1000);
      expect(onExpire).toHaveBeenCalledTimes(1);
      expect(sessions.get(s.id)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
  it('GIVEN more sessions than the cap THEN drops the oldest, disabling its buttons', () => {
    const sessions = new AskSessions({ maxSessions: 2 });
    const expired: string[] = [];
    const [a, b, c] = [1, 2, 3].map(() => sessions.open({ question: 'q', userId: 'u', views: [], pageSize: 1 }, (s) => expired.push(s.id)));
    expect([sessions.get(a!.id), sessions.get(b!.id), sessions.get(c!.id)].map(Boolean)).toEqual([false, true, true]);
    expect(expired).toEqual([a!.id]);
    sessions.clear();
  });
});

describe('pageOf', () => {
  it('GIVEN 7 results by 3 THEN 3 pages, clamped at both ends', () => {
    const views = Array.from({ length: 7 }, (_, i) => i) as never[];
    expect(pageOf({ views, pageSize: 3 }, 3)).toMatchObject({ page: 3, pageCount: 3, firstRank: 7, views: [6] });
    expect(pageOf({ views, pageSize: 3 }, 9).page).toBe(3);
    expect(pageOf({ views, pageSize: 3 }, 0)).toMatchObject({ page: 1, firstRank: 1 });
  });
});
