import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleGraphQLRequest } from "#graphql/yoga.ts";

// GraphiQL and GET queries arrive at the loader, POSTed operations at the action.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const response = await handleGraphQLRequest(request, context);
  if (!response.headers.get("content-type")?.startsWith("text/html")) return response;
  // GraphiQL: its page is all inline, so its scripts need this response's CSP nonce.
  const html = withScriptNonce(await response.text(), context.cspNonce);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(html, { status: response.status, headers });
}

export function action({ request, context }: ActionFunctionArgs) {
  return handleGraphQLRequest(request, context);
}

/**
 * Adds the nonce to each <script> tag, reading the page as a browser does: a script's body
 * runs to the next `</script`, so text inside it that looks like a tag is left alone.
 */
function withScriptNonce(html: string, nonce: string): string {
  const parts: string[] = [];
  const opening = /<script(?=[\s>])/gi;
  let done = 0;
  while (opening.exec(html)) {
    parts.push(html.slice(done, opening.lastIndex), ` nonce="${nonce}"`);
    done = opening.lastIndex;
    const closing = /<\/script/gi;
    closing.lastIndex = done;
    if (!closing.exec(html)) break;
    opening.lastIndex = closing.lastIndex;
  }
  parts.push(html.slice(done));
  return parts.join("");
}
