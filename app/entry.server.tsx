import { Writable } from "node:stream";
import { type AppLoadContext, type EntryContext, type HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { CspNonceContext } from "./utils/csp-nonce.tsx";

export const streamTimeout = 5_000;

/** Unexpected errors are logged with the request id; users see only an apology. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  const ctx = context as Partial<AppLoadContext>;
  ctx.services?.logger.error(
    { err: error, requestId: ctx.requestId, url: request.url },
    "unhandled error in loader or action",
  );
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  // Every inline script in the page carries it: Remix's (through the context and
  // RemixServer's own prop, for single fetch's streamed data) and React's streaming ones.
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let didShellError = false;
    const { pipe, abort } = renderToPipeableStream(
      <CspNonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </CspNonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          const body = new CoalescedBody();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(body.stream, {
              headers: responseHeaders,
              status: didShellError ? 500 : responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          didShellError = true;
          if (request.signal.aborted) return;
          // A render error, logged like a loader's: with the request id, never to the page.
          const ctx = loadContext as Partial<AppLoadContext>;
          if (ctx.services) {
            ctx.services.logger.error(
              { err: error, requestId: ctx.requestId, url: request.url },
              "unhandled error while rendering",
            );
          } else {
            console.error(error);
          }
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

/**
 * Where React writes the page: it hands over 2 KB pieces (~50 for a feed page), and each
 * piece passed on alone became a stream read, an HTTP chunk and a socket write. This keeps
 * them until React says it has nothing more to send for now (`flush`, called after the
 * shell and after each streamed boundary) and passes them on as one chunk, so streaming
 * still works, a burst at a time.
 */
class CoalescedBody extends Writable {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private pending: Buffer[] = [];
  private size = 0;
  private isClosed = false;

  constructor() {
    super();
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.destroy();
      },
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.pending.push(chunk);
    this.size += chunk.length;
    callback();
  }

  /** React's cue (as for compression streams) that a burst is complete. */
  flush() {
    if (this.size === 0) return;
    const chunk =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.size);
    this.pending = [];
    this.size = 0;
    this.controller.enqueue(chunk);
  }

  override _final(callback: () => void) {
    this.flush();
    this.isClosed = true;
    this.controller.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    if (error && !this.isClosed) {
      this.isClosed = true;
      this.controller.error(error);
    }
    callback(error);
  }
}
