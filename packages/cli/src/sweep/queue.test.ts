// Reading --queue URLs (no Redis needed; the queue itself is tested in queue.e2e.test.ts).
import { redisOptions } from './queue';

describe('redisOptions', () => {
  it('reads host, port, credentials and database', () => {
    expect(redisOptions('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380, maxRetriesPerRequest: null });
    expect(redisOptions('redis://queue.lab')).toEqual({ host: 'queue.lab', port: 6379, maxRetriesPerRequest: null });
    expect(redisOptions('rediss://me:p%40ss@queue.lab:7000/3')).toEqual({
      host: 'queue.lab', port: 7000, username: 'me', password: 'p@ss', db: 3, tls: {}, maxRetriesPerRequest: null,
    });
  });

  it('names what is wrong with a bad URL', () => {
    expect(() => redisOptions('localhost:6379')).toThrow('--queue must be a redis:// or rediss:// URL, got "localhost:6379"');
    expect(() => redisOptions('not a url')).toThrow('--queue must be a URL like redis://HOST:PORT, got "not a url"');
    expect(() => redisOptions('redis://h:1/x')).toThrow('--queue: the database in redis://h:1/x must be a number, got "x"');
  });
});
