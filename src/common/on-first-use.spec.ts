import { onFirstUse } from './on-first-use.js';

describe('onFirstUse', () => {
  it('loads once, on the first call, and answers every call with that load', async () => {
    let loads = 0;
    const client = onFirstUse(() => Promise.resolve({ id: ++loads }));
    expect(loads).toBe(0);
    const [first, second] = await Promise.all([client(), client()]);
    expect(await client()).toBe(first);
    expect(second).toBe(first);
    expect(loads).toBe(1);
  });

  it('forgets a load that failed, so the next call tries again', async () => {
    let loads = 0;
    const client = onFirstUse(() =>
      ++loads === 1 ? Promise.reject(new Error('not installed')) : Promise.resolve('loaded'),
    );
    await expect(client()).rejects.toThrow('not installed');
    await expect(client()).resolves.toBe('loaded');
    await expect(client()).resolves.toBe('loaded');
    expect(loads).toBe(2);
  });
});
