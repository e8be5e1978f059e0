import { describe, expect, it, jest } from '@jest/globals';
import { type ApiCallFn, HttpError } from 'grammy';
import { retryNetworkErrors } from './bot-api.js';

type Prev = ApiCallFn;
const OK = { ok: true as const, result: true };
const networkError = () =>
  new HttpError("Network request for 'sendMessage' failed!", new Error('x'));

/** Runs the transformer the way grammY does: with the next step, the method, its payload and a signal. */
function send(prev: jest.Mock, signal?: AbortSignal) {
  return retryNetworkErrors(10)(
    prev as unknown as Prev,
    'sendMessage',
    { chat_id: 1, text: 'hi' },
    signal as Parameters<Prev>[2],
  );
}

describe('retryNetworkErrors', () => {
  it('tries a call that failed on the network (or timed out) again until it gets through', async () => {
    const prev = jest
      .fn<() => Promise<unknown>>()
      .mockRejectedValueOnce(networkError())
      .mockResolvedValueOnce(OK);
    await expect(send(prev)).resolves.toEqual(OK);
    expect(prev).toHaveBeenCalledTimes(2);
  });

  it("leaves Telegram's own answers (a 400, say) and other errors alone", async () => {
    const refused = { ok: false, error_code: 400, description: 'Bad Request' };
    const answered = jest
      .fn<() => Promise<unknown>>()
      .mockResolvedValue(refused);
    await expect(send(answered)).resolves.toEqual(refused);
    expect(answered).toHaveBeenCalledTimes(1);

    const broken = jest
      .fn<() => Promise<unknown>>()
      .mockRejectedValue(new TypeError('a bug'));
    await expect(send(broken)).rejects.toThrow('a bug');
    expect(broken).toHaveBeenCalledTimes(1);
  });

  it('stops when the signal aborts (shutdown, or the reply is past its deadline), also while waiting to retry', async () => {
    const stop = new AbortController();
    const prev = jest.fn<() => Promise<unknown>>().mockImplementation(() => {
      // Aborts while the transformer waits before the next attempt.
      setImmediate(() => stop.abort());
      return Promise.reject(networkError());
    });
    await expect(send(prev, stop.signal)).rejects.toThrow();
    expect(prev).toHaveBeenCalledTimes(1);

    const aborted = jest
      .fn<() => Promise<unknown>>()
      .mockRejectedValue(networkError());
    await expect(send(aborted, AbortSignal.abort())).rejects.toBeInstanceOf(
      HttpError,
    );
    expect(aborted).toHaveBeenCalledTimes(1);
  });
});
