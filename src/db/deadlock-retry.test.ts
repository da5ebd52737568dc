import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from './deadlock-retry.ts';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('a transaction PostgreSQL rolled back to break a deadlock', () => {
  it('runs again, up to three times in all; any other failure is not retried', async () => {
    let runs = 0;
    expect(
      await retryOnDeadlock(() => (++runs < 3 ? Promise.reject(deadlock()) : Promise.resolve('done'))),
    ).toBe('done');
    expect(runs).toBe(3);
    runs = 0;
    await expect(retryOnDeadlock(() => (runs++, Promise.reject(deadlock())))).rejects.toThrow('deadlock');
    expect(runs).toBe(3);
    runs = 0;
    await expect(
      retryOnDeadlock(() => (runs++, Promise.reject(new Error('value too long')))),
    ).rejects.toThrow('value too long');
    expect(runs).toBe(1);
  });
});
