import { describe, expect, it } from 'vitest';
import { asEnvironmentError, EnvironmentError } from '../src/errors.js';

const systemError = (code: string, path: string) => Object.assign(new Error(`${code}: failed, open '${path}'`), { code, path, syscall: 'open' });

describe('asEnvironmentError', () => {
  it.each([
    ['EROFS', /^\/data\/x is on a read-only file system \(EROFS\)\. Point PAPERBOT_DATA_DIR/],
    ['ENOSPC', /^the disk holding \/data\/x is full \(ENOSPC\)\. Free some space/],
    ['ELOOP', /^\/data\/x is a symbolic link that leads back to itself \(ELOOP\)\. Fix or remove the link\.$/],
    ['EACCES', /^PaperBot is not allowed to use \/data\/x \(EACCES\)\. Give the user running PaperBot access/],
  ])('GIVEN %s on a file THEN plain words naming the file, and what to do', (code, message) => {
    const env = asEnvironmentError(systemError(code, '/data/x'));
    expect(env).toBeInstanceOf(EnvironmentError);
    expect(env!.code).toBe(code);
    expect(env!.message).toMatch(message);
  });

  it('GIVEN SQLite finding the disk full THEN says so without a path', () => {
    expect(asEnvironmentError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))!.message).toMatch(/^the disk holding PaperBot's data is full \(SQLITE_FULL\)/);
  });

  it('GIVEN a refused connection, as undici reports it (the code on the cause) THEN names the server and its setting', () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(asEnvironmentError(err, { url: 'http://127.0.0.1:9/api', setting: 'DISCORD_API_BASE' })!.message).toBe(
      'http://127.0.0.1:9/api cannot be reached (ECONNREFUSED). Check the network, a firewall or proxy, and DISCORD_API_BASE; then try again.',
    );
  });

  it('GIVEN a bug THEN it is not the environment', () => {
    expect(asEnvironmentError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeNull();
    expect(asEnvironmentError(Object.assign(new Error('no such file'), { code: 'ENOENT', path: '/x' }))).toBeNull();
  });
});
