import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { orders } from './order-script.js';

describe('seeded orders', () => {
  it('two seeds give different orders; epochs differ from each other', async () => {
    const a = await orders(1);
    const b = await orders(2);
    expect(a).not.toEqual(b);
    expect(a.slice(0, 7)).not.toEqual(a.slice(7));
    expect(a.slice(0, 7).flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('one seed gives the same order in a new process', async () => {
    const script = fileURLToPath(new URL('./order-script.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const { stdout } = await promisify(execFile)(tsx, [script, '1234'], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    expect(JSON.parse(stdout)).toEqual(await orders(1234));
  });
});
