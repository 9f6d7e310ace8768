import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: ROOT }).status === 0;

describe('the repository', () => {
  it.each(['.env', '.env.local', '.env.production', '.env.development.local', '.env.test'])('GIVEN %s THEN git ignores it (it holds secrets)', (file) => {
    expect(ignored(file)).toBe(true);
  });

  it('GIVEN .env.example THEN git keeps it', () => {
    expect(ignored('.env.example')).toBe(false);
  });
});
