/**
 * A tiny browser stand-in for HTTP tests: keeps the session cookie, sends the
 * Origin header a same-origin browser would, and never follows redirects, so
 * tests can assert on them.
 */
export class TestClient {
  private cookie: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly origin: string | null = baseUrl,
  ) {}

  get sessionCookie(): string | null {
    return this.cookie;
  }

  setSessionCookie(value: string | null) {
    this.cookie = value;
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    if (this.origin && init.method && init.method !== "GET") headers.set("origin", this.origin);
    const response = await fetch(new URL(pathname, this.baseUrl), {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = setCookie.split(";");
      const isCleared = attributes.some((a) => a.trim().toLowerCase() === "max-age=0");
      this.cookie = isCleared || pair.endsWith("=") ? null : pair;
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
