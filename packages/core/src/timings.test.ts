import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stage, stageTimings, startTimings } from './timings.js';

// The stages are timed with performance.now(): a controlled clock makes the bookkeeping exact and
// the test independent of how busy the machine is.
let now = 0;
const spend = (ms: number): void => {
  now += ms;
};

beforeEach(() => {
  now = 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('stage timings', () => {
  it('books each stage without the stages nested in it, and a promise until it settles', async () => {
    startTimings();
    let settle: () => void = () => undefined;
    const loading = stage('load', () => new Promise<void>((done) => (settle = done)));
    spend(30);
    settle();
    await loading;
    stage('plan', () => {
      spend(10);
      for (let i = 0; i < 3; i++) stage('render', () => spend(30));
      spend(10);
    });
    expect(stageTimings()).toEqual({ 'start-up': 1000, load: 30, render: 90, plan: 20 });
  });

  it('gives the work its result and its error, and books the stage either way', () => {
    startTimings();
    expect(stage('emit', () => 42)).toBe(42);
    expect(() =>
      stage('emit', () => {
        spend(5);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(stageTimings().emit).toBe(5);
  });
});
