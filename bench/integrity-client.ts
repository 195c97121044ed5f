/**
 * A client of the app as one person's browser (or one attacker's script) is: its own source
 * address on the loopback network (the server sees it as the request's IP; nothing is spoofed:
 * there is no X-Forwarded-For and TRUST_PROXY stays off) and its own cookie jar, which an
 * attacker may clear between accounts to drop the device cookie.
 */
import http from "node:http";

export type Gql<T> = { data: T | null; errors: { message: string }[] | null; status: number };

export class BrowserClient {
  private readonly agent: http.Agent;
  private readonly jar = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    /** The source address, e.g. 127.23.0.1 (any 127/8 address reaches the server on lo). */
    readonly address: string,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: address });
  }

  /** Forgets every cookie: the session and the device cookie both. */
  clearCookies() {
    this.jar.clear();
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  private cookieHeader(): Record<string, string> {
    if (this.jar.size === 0) return {};
    return { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  private keepCookies(headers: http.IncomingHttpHeaders) {
    for (const line of ([] as string[]).concat(headers["set-cookie"] ?? [])) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      if (eq < 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const isExpired = attributes.some(
        (a) =>
          /^\s*max-age=0\s*$/i.test(a) ||
          (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()),
      );
      if (isExpired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(
    method: "GET" | "POST",
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    try {
      return await this.send(method, path, body, headers);
    } catch (error) {
      // A kept-alive socket the server closed just as it was reused: the request never
      // reached the app, so sending it again is what a browser does (Node's documented retry).
      if ((error as { isReusedSocket?: boolean }).isReusedSocket) {
        return this.send(method, path, body, headers);
      }
      throw error;
    }
  }

  private send(
    method: "GET" | "POST",
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: {
            origin: this.baseUrl,
            "user-agent": "tributary-bench-integrity",
            ...this.cookieHeader(),
            ...headers,
            ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            this.keepCookies(response.headers);
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            });
          });
          response.on("error", reject);
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (request.reusedSocket && error.code === "ECONNRESET") {
          Object.assign(error, { isReusedSocket: true });
        }
        reject(error);
      });
      request.end(body);
    });
  }

  /** One GraphQL operation over HTTP POST; never throws for GraphQL errors (they are results). */
  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<Gql<T>> {
    const answer = await this.request("POST", "/graphql", JSON.stringify({ query, variables }), {
      "content-type": "application/json",
      accept: "application/json",
    });
    try {
      const parsed = JSON.parse(answer.body) as { data?: T; errors?: { message: string }[] };
      return { data: parsed.data ?? null, errors: parsed.errors ?? null, status: answer.status };
    } catch {
      return {
        data: null,
        errors: [{ message: `HTTP ${answer.status}: ${answer.body.slice(0, 200)}` }],
        status: answer.status,
      };
    }
  }

  close() {
    this.agent.destroy();
  }
}
