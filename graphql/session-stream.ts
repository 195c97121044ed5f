/**
 * A subscription's events for as long as the session that opened it is signed in.
 *
 * Not an `async function*` around `for await`: a generator suspended inside that loop
 * cannot be returned until the next event arrives, so a client that disconnects would
 * leave its pubsub listener behind until then. Here `return()` goes straight to the
 * source, which ends any pending read and drops the listener at once.
 */
export function whileSessionActive<T>(
  source: AsyncIterator<T>,
  isActive: () => Promise<boolean>,
): AsyncIterableIterator<T> {
  const finish = async (): Promise<IteratorResult<T>> => {
    await source.return?.();
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const result = await source.next();
      if (result.done) return result;
      return (await isActive()) ? result : finish();
    },
    return: finish,
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
  };
}
