/** Reads a Server-Sent Events response as text, chunk by chunk, for subscription tests. */
export function readEventStream(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  return {
    get text() {
      return buffered;
    },
    /** Reads until the text so far matches `pattern`; fails after `ms` or if the stream ends. */
    async readUntil(pattern: RegExp, ms = 10_000): Promise<string> {
      const deadline = Date.now() + ms;
      while (!pattern.test(buffered)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${pattern} within ${ms} ms; got: ${buffered}`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`timed out; got: ${buffered}`)), left),
          ),
        ]);
        if (chunk.done) throw new Error(`stream ended; got: ${buffered}`);
        buffered += chunk.value;
      }
      return buffered;
    },
  };
}
