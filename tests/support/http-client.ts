/**
 * A tiny browser stand-in for HTTP tests: keeps the session cookie, sends the
 * Origin header a same-origin browser would, and never follows redirects, so
 * tests can assert on them.
 */
const SESSION_COOKIE = "tributary_session";

export class TestClient {
  /** Cookies by name, as a browser keeps them (the session's and the device id). */
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly origin: string | null = baseUrl,
  ) {}

  /** The session cookie as `tributary_session=<token>`, or null when there is none. */
  get sessionCookie(): string | null {
    const value = this.cookies.get(SESSION_COOKIE);
    return value === undefined ? null : `${SESSION_COOKIE}=${value}`;
  }

  /** Sets (`tributary_session=<token>`) or drops (null) the session cookie. */
  setSessionCookie(pair: string | null) {
    if (pair === null) this.cookies.delete(SESSION_COOKIE);
    else this.cookies.set(SESSION_COOKIE, pair.slice(pair.indexOf("=") + 1));
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        "cookie",
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      );
    }
    if (this.origin && init.method && init.method !== "GET") headers.set("origin", this.origin);
    const response = await fetch(new URL(pathname, this.baseUrl), {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = setCookie.split(";");
      const isCleared = attributes.some((a) => a.trim().toLowerCase() === "max-age=0");
      const name = pair.slice(0, pair.indexOf("=")).trim();
      const value = pair.slice(pair.indexOf("=") + 1);
      if (isCleared || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(pathname: string) {
    return this.request(pathname);
  }

  postForm(pathname: string, fields: Record<string, string>) {
    return this.request(pathname, { method: "POST", body: new URLSearchParams(fields) });
  }

  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<{
    status: number;
    body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }> {
    const response = await this.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`GraphQL answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body };
  }
}

/** Page HTML without the `<!-- -->` markers React puts between adjacent text nodes. */
export async function readHtml(response: Response): Promise<string> {
  return (await response.text()).replaceAll("<!-- -->", "");
}
