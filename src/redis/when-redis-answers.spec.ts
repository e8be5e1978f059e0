import { describe, expect, it } from '@jest/globals';
import { ReplyError } from 'ioredis';
import { RedisUnavailableError } from './redis-unavailable.error.js';
import { whenRedisAnswers } from './when-redis-answers.js';

describe('whenRedisAnswers', () => {
  it('passes results through', async () => {
    await expect(whenRedisAnswers(async () => 'OK')).resolves.toBe('OK');
  });

  it.each([
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error('Command timed out'),
    new Error('Connection is closed.'),
    new ReplyError('LOADING Redis is loading the dataset in memory'),
    new ReplyError("READONLY You can't write against a read only replica."),
    new ReplyError('MOVED 14126 127.0.0.1:28964'),
    new ReplyError('ASK 3999 127.0.0.1:28965'),
  ])(
    'turns %s into a 503 with a message for people',
    async (failure: Error) => {
      const error = await whenRedisAnswers(() => Promise.reject(failure)).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as RedisUnavailableError).getStatus()).toBe(503);
      expect((error as RedisUnavailableError).getResponse()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message:
          'The login service cannot reach its storage right now. Please try again in a few seconds.',
      });
      expect((error as RedisUnavailableError).cause).toBe(failure);
    },
  );

  const discarded = (...previous: string[]): Error =>
    Object.assign(
      new ReplyError(
        'EXECABORT Transaction discarded because of previous errors.',
      ),
      { previousErrors: previous.map((message) => new ReplyError(message)) },
    );

  it('turns a MULTI discarded for transient replies to its commands (a Cluster failover) into a 503', async () => {
    const failure = discarded(
      'MOVED 14126 127.0.0.1:28964',
      'CLUSTERDOWN The cluster is down',
    );
    const error = await whenRedisAnswers(() => Promise.reject(failure)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as RedisUnavailableError).cause).toBe(failure);
  });

  it('leaves a MULTI discarded for any other reply (a bug) as it is', async () => {
    const failure = discarded(
      'MOVED 14126 127.0.0.1:28964',
      "ERR wrong number of arguments for 'hset' command",
    );
    await expect(whenRedisAnswers(() => Promise.reject(failure))).rejects.toBe(
      failure,
    );
  });

  it('leaves other error replies (bugs) as they are', async () => {
    const wrongType: Error = new ReplyError(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    await expect(
      whenRedisAnswers(() => Promise.reject(wrongType)),
    ).rejects.toBe(wrongType);
  });
});
